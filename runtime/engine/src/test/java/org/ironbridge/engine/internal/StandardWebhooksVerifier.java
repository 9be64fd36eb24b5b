package org.ironbridge.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification of Standard Webhooks signatures, written from the specification
 * (https://www.standardwebhooks.com) independently of the production signer: the secret is {@code
 * whsec_} + base64 key; {@code webhook-signature} is a space-separated list of {@code
 * <version>,<base64 signature>}, of which a {@code v1} entry must equal HMAC-SHA256(key, {@code
 * "{webhook-id}.{webhook-timestamp}.{raw body}"}); the timestamp must be within a tolerance of now
 * (replay protection).
 */
final class StandardWebhooksVerifier {
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    StandardWebhooksVerifier(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with whsec_");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /** Why the message does not verify, or null when it does. */
    String problem(String id, String timestamp, String signatures, String rawBody, Instant now) {
        if (id == null || timestamp == null || signatures == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not unix seconds";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return "webhook-timestamp is outside the tolerance";
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected =
                    mac.doFinal(
                            (id + "." + timestamp + "." + rawBody)
                                    .getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return null;
            }
        }
        return "no v1 signature matches";
    }

    boolean verifies(WebhookReceiver.Received r) {
        return problem(
                        r.header("webhook-id"),
                        r.header("webhook-timestamp"),
                        r.header("webhook-signature"),
                        r.body(),
                        Instant.now())
                == null;
    }
}
