package org.ironbridge.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Bearer tokens and ids: random, prefixed by kind, stored only as SHA-256 hashes.
 *
 * <p>A token carries 190 bits of randomness (32 base62 characters), so a fast unsalted hash is the
 * right storage: it cannot be brute-forced, and it lets a request find its token with one indexed
 * lookup.
 */
public final class Tokens {
    /** Prefix of admin API keys. */
    public static final String ADMIN_KEY = "ibk_";

    /** Prefix of connection tokens. */
    public static final String CONNECTION_TOKEN = "ibt_";

    /** Prefix of connect-session tokens. */
    public static final String CONNECT_SESSION = "ibs_";

    /** Prefix of console session tokens (the value of the console's session cookie). */
    public static final String CONSOLE_SESSION = "ibc_";

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new token: the prefix and 32 random base62 characters. */
    public static String newToken(String prefix) {
        return prefix + random(32);
    }

    /** A new id: the prefix, an underscore and 20 random base62 characters (119 bits). */
    public static String newId(String prefix) {
        return prefix + "_" + random(20);
    }

    /**
     * The digits of the time in time-ordered ids: Crockford's base32 in lower case (no i, l, o, u),
     * in ascending order both byte-wise and in case-insensitive collations.
     */
    private static final char[] TIME_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    /** Characters of the time in a time-ordered id: epoch milliseconds until the year 3084. */
    static final int TIME_CHARS = 9;

    /**
     * A new id that sorts by creation time: the prefix, an underscore, the current time ({@link
     * #timeOrdered}) and 14 random base62 characters (83 bits). For rows written at a high rate
     * (webhook events and deliveries): their index entries are appended near the end of the indexes
     * instead of at random places, so a commit rewrites a few pages of each index rather than one
     * page per row.
     */
    public static String newTimeOrderedId(String prefix) {
        return timeOrdered(prefix + "_", System.currentTimeMillis(), 14);
    }

    /**
     * The prefix, the epoch milliseconds in {@link #TIME_CHARS} base32 characters, and random
     * base62 characters: ids that sort by their time.
     */
    static String timeOrdered(String prefix, long epochMillis, int randomChars) {
        char[] time = new char[TIME_CHARS];
        long t = epochMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            time[i] = TIME_DIGITS[(int) (t & 31)];
            t >>>= 5;
        }
        return prefix + new String(time) + fastRandom(randomChars);
    }

    /**
     * The time {@link #timeOrdered} wrote at {@code from} in an id, in epoch milliseconds; -1 when
     * those characters are not its digits.
     */
    static long timeOf(String id, int from) {
        long t = 0;
        for (int i = from; i < from + TIME_CHARS; i++) {
            char c = id.charAt(i);
            int v = -1;
            for (int d = 0; d < TIME_DIGITS.length; d++) {
                if (TIME_DIGITS[d] == c) {
                    v = d;
                    break;
                }
            }
            if (v < 0) {
                return -1;
            }
            t = (t << 5) | v;
        }
        return t;
    }

    /** Random base62 characters from the secure generator: for tokens, ids and secrets. */
    public static String random(int length) {
        // one call into the (synchronized) SecureRandom per token, not one per character
        byte[] bytes = new byte[length * 2];
        RANDOM.nextBytes(bytes);
        return base62(bytes, length);
    }

    /**
     * Random base62 characters from a fast, non-cryptographic generator: for values that must be
     * unique but need not be unguessable, such as request ids. Never use it for tokens.
     */
    public static String fastRandom(int length) {
        byte[] bytes = new byte[length * 2];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return base62(bytes, length);
    }

    /**
     * Maps pairs of random bytes to base62 characters (16 bits mod 62: a bias below 0.1%,
     * irrelevant here).
     */
    private static String base62(byte[] bytes, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            int v = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
            out[i] = BASE62[v % BASE62.length];
        }
        return new String(out);
    }

    /** The hex SHA-256 of a token: what the database stores. */
    public static String hash(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The first characters of a token, enough to tell tokens apart in a list, not to guess one. */
    public static String hint(String token) {
        return token.substring(0, Math.min(token.length(), 8));
    }

    /**
     * Whether the text looks like a token of the given kind (prefix and 16–128 base62 characters).
     */
    public static boolean looksLike(String text, String prefix) {
        if (text == null || !text.startsWith(prefix)) {
            return false;
        }
        int n = text.length() - prefix.length();
        if (n < 16 || n > 128) {
            return false;
        }
        for (int i = prefix.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
