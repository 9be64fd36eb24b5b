package org.ironbridge.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.ironbridge.model.EntityType;

/**
 * Deterministic Ironbridge record ids: {@code <prefix>_} and 26 characters of lowercase base32 (RFC
 * 4648 alphabet) of SHA-256(connection id + "\n" + collection + "\n" + remote id), i.e. 130 bits.
 * The same source record always gets the same id, so a reference read from the source (a remote id)
 * is translated to an Ironbridge id without a lookup.
 */
final class RecordIds {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    static final int LENGTH = 26;

    private RecordIds() {}

    static String of(String connectionId, EntityType type, String remoteId) {
        byte[] digest;
        try {
            digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (connectionId + "\n" + type.collection() + "\n" + remoteId)
                                            .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        StringBuilder sb = new StringBuilder(type.idPrefix().length() + 1 + LENGTH);
        sb.append(type.idPrefix()).append('_');
        int buffer = 0;
        int bits = 0;
        int i = 0;
        while (sb.length() < type.idPrefix().length() + 1 + LENGTH) {
            if (bits < 5) {
                buffer = (buffer << 8) | (digest[i++] & 0xff);
                bits += 8;
            }
            sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return sb.toString();
    }

    /** Whether the text has the shape of an id of the type (prefix and 26 base32 characters). */
    static boolean looksLike(String id, EntityType type) {
        if (id == null || id.length() != type.idPrefix().length() + 1 + LENGTH) {
            return false;
        }
        if (!id.startsWith(type.idPrefix() + "_")) {
            return false;
        }
        for (int i = type.idPrefix().length() + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }
}
