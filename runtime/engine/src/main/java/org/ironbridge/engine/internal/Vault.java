package org.ironbridge.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential vault: AES-256-GCM under a master key kept outside the database, with a random
 * 96-bit nonce per encryption. The stored form is versioned: {@code v1:<base64(nonce ||
 * ciphertext+tag)>}. Associated data (the connection id) binds a ciphertext to its row, so that
 * encrypted credentials copied to another row do not decrypt.
 */
final class Vault {
    static final String V1 = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The stored value cannot be decrypted: wrong master key, tampering or an unknown version. */
    static final class VaultException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VaultException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SecretKey key;

    Vault(byte[] masterKey) {
        if (masterKey == null || masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes");
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
    }

    String encrypt(String plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length);
            out.put(nonce).put(sealed);
            return V1 + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is always available", e);
        }
    }

    String decrypt(String stored, String associatedData) {
        if (stored == null || !stored.startsWith(V1)) {
            throw new VaultException("unknown vault format", null);
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(V1.length()));
        } catch (IllegalArgumentException e) {
            throw new VaultException("malformed vault value", e);
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new VaultException("truncated vault value", null);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(all, 0, NONCE_BYTES)));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new VaultException(
                    "the stored credentials cannot be decrypted (wrong master key or tampered"
                            + " data)",
                    e);
        } catch (GeneralSecurityException e) {
            throw new VaultException("the stored credentials cannot be decrypted", e);
        }
    }

    /**
     * The master key: from {@code configured} (base64 of 32 bytes, from the framework property
     * {@code ironbridge.master.key}) if given, else from the file {@code <dataDir>/master.key},
     * which is created with 32 random bytes (mode 0600) on first use. The key is never logged.
     *
     * @throws IllegalStateException when the configured key or the file is not a valid key
     */
    static byte[] masterKey(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(configured.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ironbridge.master.key is not valid base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException(
                        "ironbridge.master.key must be the base64 of 32 bytes, not " + key.length);
            }
            return key;
        }
        Path file = dataDir.resolve("master.key");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Path tmp = dataDir.resolve("master.key." + Long.toHexString(RANDOM.nextLong()));
            try {
                Files.createFile(
                        tmp,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, fresh);
            try {
                // a hard link is atomic and never replaces: a concurrent first start keeps one key
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException lost) {
                // another process created it first; use that one
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] content = Files.readAllBytes(file);
        if (content.length == 32) {
            return content;
        }
        try {
            byte[] decoded =
                    Base64.getDecoder()
                            .decode(new String(content, StandardCharsets.US_ASCII).trim());
            if (decoded.length == 32) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // fall through
        }
        throw new IllegalStateException(
                file
                        + " must hold 32 bytes (raw or base64); it holds "
                        + content.length
                        + " bytes");
    }
}
