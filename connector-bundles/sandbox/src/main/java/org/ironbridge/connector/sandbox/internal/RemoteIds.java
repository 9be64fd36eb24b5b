package org.ironbridge.connector.sandbox.internal;

import java.util.Comparator;
import org.ironbridge.model.EntityType;

/**
 * The sandbox's own record ids: a prefix and the 1-based record number, zero-padded ({@code
 * VEN-000012}, {@code PO-0000123}). Record number n is generator index n - 1.
 */
final class RemoteIds {
    /**
     * The order of ids of one entity: shorter first, then lexicographic, which is numeric order
     * even when a number outgrows its padding. The empty string sorts first.
     */
    static final Comparator<String> ORDER =
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private RemoteIds() {}

    static String prefix(EntityType entity) {
        return switch (entity) {
            case VENDORS -> "VEN-";
            case ITEMS -> "ITM-";
            case STOCK_LEVELS -> "STK-";
            case LOCATIONS -> "LOC-";
            case ASSETS -> "AST-";
            case WORK_ORDERS -> "WO-";
            case SERVICE_REQUESTS -> "SR-";
            case PURCHASE_ORDERS -> "PO-";
        };
    }

    static int width(EntityType entity) {
        return entity == EntityType.PURCHASE_ORDERS ? 7 : 6;
    }

    /** The id of the record with the given 0-based index. */
    static String format(EntityType entity, long index) {
        String number = Long.toString(index + 1);
        int pad = width(entity) - number.length();
        StringBuilder sb = new StringBuilder(prefix(entity));
        for (int i = 0; i < pad; i++) {
            sb.append('0');
        }
        return sb.append(number).toString();
    }

    /** The 0-based index of an id of the entity, or -1 when it is not one. */
    static long parse(EntityType entity, String id) {
        String prefix = prefix(entity);
        if (id == null || !id.startsWith(prefix)) {
            return -1;
        }
        String digits = id.substring(prefix.length());
        if (digits.length() < width(entity) || digits.length() > 12) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        if (digits.length() > width(entity) && digits.charAt(0) == '0') {
            return -1;
        }
        long n = Long.parseLong(digits);
        return n < 1 ? -1 : n - 1;
    }
}
