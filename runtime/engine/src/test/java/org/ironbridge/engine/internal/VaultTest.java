package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void roundTripWithAFreshNonceEachTime() {
        Vault v = new Vault(key());
        String secret = "{\"password\":\"p@ss wörd\"}";
        String a = v.encrypt(secret, "conn_1");
        String b = v.encrypt(secret, "conn_1");
        assertThat(a).startsWith("v1:").isNotEqualTo(b).doesNotContain("p@ss");
        assertThat(v.decrypt(a, "conn_1")).isEqualTo(secret);
        assertThat(v.decrypt(b, "conn_1")).isEqualTo(secret);
        // nonce (12) + plaintext + tag (16)
        assertThat(Base64.getDecoder().decode(a.substring(3)))
                .hasSize(12 + secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
    }

    @Test
    void tamperingIsDetected() {
        Vault v = new Vault(key());
        String sealed = v.encrypt("secret", "conn_1");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 20] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> v.decrypt(tampered, "conn_1"))
                .isInstanceOf(Vault.VaultException.class)
                .hasMessageContaining("cannot be decrypted");
        assertThatThrownBy(() -> v.decrypt("v1:AAAA", "conn_1"))
                .isInstanceOf(Vault.VaultException.class);
        assertThatThrownBy(() -> v.decrypt("v2:" + sealed.substring(3), "conn_1"))
                .isInstanceOf(Vault.VaultException.class)
                .hasMessageContaining("unknown vault format");
    }

    @Test
    void theWrongKeyOrAnotherRowFails() {
        String sealed = new Vault(key()).encrypt("secret", "conn_1");
        assertThatThrownBy(() -> new Vault(key()).decrypt(sealed, "conn_1"))
                .isInstanceOf(Vault.VaultException.class);
        byte[] k = key();
        Vault v = new Vault(k);
        String mine = v.encrypt("secret", "conn_1");
        // the ciphertext is bound to its connection id
        assertThatThrownBy(() -> v.decrypt(mine, "conn_2"))
                .isInstanceOf(Vault.VaultException.class);
        assertThatThrownBy(() -> new Vault(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfiguredMasterKeyWins(@TempDir Path dir) throws Exception {
        byte[] k = key();
        assertThat(Vault.masterKey(Base64.getEncoder().encodeToString(k), dir)).isEqualTo(k);
        assertThat(Files.exists(dir.resolve("master.key"))).isFalse();
        assertThatThrownBy(
                        () ->
                                Vault.masterKey(
                                        Base64.getEncoder().encodeToString(new byte[31]), dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Vault.masterKey("not base64!", dir))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKeyFileIsCreatedPrivateOnceAndReused(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        byte[] first = Vault.masterKey(null, data);
        Path file = data.resolve("master.key");
        assertThat(first).hasSize(32);
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Vault.masterKey("", data)).isEqualTo(first);
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("master.key");
        }
        // a base64 key file (e.g. written by an operator) is accepted too
        byte[] k = key();
        Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n");
        assertThat(Vault.masterKey(null, data)).isEqualTo(k);
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Vault.masterKey(null, data))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Set.of(first.length)).containsExactly(32);
    }
}
