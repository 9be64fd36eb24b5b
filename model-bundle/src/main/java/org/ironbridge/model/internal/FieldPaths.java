package org.ironbridge.model.internal;

import java.util.Comparator;

/** Ordering of dotted field paths, with array indexes compared as numbers. */
final class FieldPaths {

    /** Orders {@code lines[2].quantity} before {@code lines[10].quantity}. */
    static final Comparator<String> ORDER = FieldPaths::compare;

    private FieldPaths() {}

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int byNumber =
                        new java.math.BigInteger(a.substring(si, i))
                                .compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (byNumber != 0) {
                    return byNumber;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
