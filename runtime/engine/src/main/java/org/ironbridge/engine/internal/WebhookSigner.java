package org.ironbridge.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, as API.md states it): a secret is
 * {@code whsec_} and the base64 of its key bytes; a signature is {@code v1,} and the base64 of the
 * HMAC-SHA256, under the key bytes, of {@code "{webhook-id}.{webhook-timestamp}.{body}"}.
 */
final class WebhookSigner {
    static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * An initialized Mac to clone for each signature (cheaper than a provider lookup each time).
     */
    private final Mac prototype;

    /**
     * @param secret {@code whsec_<base64>}
     * @throws IllegalArgumentException if it is not such a secret
     */
    WebhookSigner(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        byte[] bytes = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(bytes, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    /** A new random secret: {@code whsec_} and the base64 of 32 random bytes. */
    static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The {@code webhook-signature} header value.
     *
     * @param timestamp unix seconds, as sent in {@code webhook-timestamp}
     */
    String sign(String id, long timestamp, String body) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 can be cloned", e);
        }
        byte[] digest =
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }
}
