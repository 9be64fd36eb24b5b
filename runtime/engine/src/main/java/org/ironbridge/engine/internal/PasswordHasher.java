package org.ironbridge.engine.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow, salted password hashes: PBKDF2-HMAC-SHA256 of the JDK, stored in a self-describing form
 * {@code pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>} (as Django does), so that the cost
 * can be raised later: a stored hash keeps the iteration count it was made with, and {@link
 * #needsRehash} tells when a password should be hashed again at the current cost (done after a
 * successful login, the only time the password is known).
 *
 * <p>The default of 600,000 iterations is OWASP's recommendation for PBKDF2-HMAC-SHA256. Passwords
 * are normalized to Unicode NFC first, so that the same password typed on different systems
 * matches. Hashes are compared in constant time.
 */
final class PasswordHasher {
    static final String ALGORITHM = "pbkdf2_sha256";
    static final int DEFAULT_ITERATIONS = 600_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    /** Stored iteration counts outside this range are treated as corrupt (and never match). */
    private static final int MAX_ITERATIONS = 100_000_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int iterations;
    private final String dummy;
    private final AtomicLong derivations = new AtomicLong();

    /**
     * @param iterations the PBKDF2 iterations of new hashes (tests use fewer than the default)
     */
    PasswordHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS);
        }
        this.iterations = iterations;
        // a hash of no password at all: verifying against it costs what a real verification does
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        this.dummy = format(iterations, salt, hash);
    }

    int iterations() {
        return iterations;
    }

    /** A new hash of the password with a new random salt at the current cost. */
    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return format(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Whether the password matches the stored hash. A malformed stored hash never matches (after
     * spending the time of a verification, like a wrong password).
     */
    boolean verify(String password, String stored) {
        Parsed p = parse(stored);
        if (p == null) {
            burn(password);
            return false;
        }
        byte[] actual = derive(password, p.salt, p.iterations, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /**
     * Spends the time of verifying a password without any stored hash: for logins with an unknown
     * email, so that they take as long as a wrong password.
     */
    void burn(String password) {
        verify(password == null ? "" : password, dummy);
    }

    /** Whether the stored hash was made with another algorithm or fewer iterations than now. */
    boolean needsRehash(String stored) {
        Parsed p = parse(stored);
        return p == null || p.iterations < iterations;
    }

    /** How many PBKDF2 derivations this hasher ran (tests check that every login costs one). */
    long derivations() {
        return derivations.get();
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {}

    private static Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            return null;
        }
        try {
            int n = Integer.parseInt(parts[1]);
            byte[] salt = B64D.decode(parts[2]);
            byte[] hash = B64D.decode(parts[3]);
            if (n < 1 || n > MAX_ITERATIONS || salt.length == 0 || hash.length == 0) {
                return null;
            }
            return new Parsed(n, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String format(int iterations, byte[] salt, byte[] hash) {
        return ALGORITHM
                + "$"
                + iterations
                + "$"
                + B64.encodeToString(salt)
                + "$"
                + B64.encodeToString(hash);
    }

    private byte[] derive(String password, byte[] salt, int iterations, int bytes) {
        derivations.incrementAndGet();
        char[] chars = Normalizer.normalize(password, Normalizer.Form.NFC).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
        try {
            // SunJCE encodes the characters as UTF-8
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is always available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
