package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    /** The example of a published Standard Webhooks verifier library (secret, id, time, body). */
    @Test
    void signsThePublishedExampleLikeOtherImplementations() {
        WebhookSigner signer =
                new WebhookSigner("whsec_b6Ovv5eS7H5seJrGSStBYDivs8v2/KrFjfMaVZYsi7w=");
        assertThat(
                        signer.sign(
                                "7a2486b3-31cf-4bd3-a460-df8845d16cd5",
                                1737987215,
                                "{\"greetings\": \"Hello World\"}"))
                .isEqualTo("v1,iayM3VaiYCEDP/CxWUFWcxUCJk2YmBDQHtHTsaHzrwo=");
    }

    @Test
    void newSecretsAreRandom32ByteKeysThatTheIndependentVerifierAccepts() {
        String a = WebhookSigner.newSecret();
        String b = WebhookSigner.newSecret();
        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
        long now = Instant.now().getEpochSecond();
        String body = "{\"id\":\"evt_1\",\"data\":{\"name\":\"Ünïcode ✓\"}}";
        String signature = new WebhookSigner(a).sign("evt_1", now, body);
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(a);
        assertThat(verifier.problem("evt_1", Long.toString(now), signature, body, Instant.now()))
                .isNull();
        // several signatures (secret rotation): one that matches is enough
        assertThat(
                        verifier.problem(
                                "evt_1",
                                Long.toString(now),
                                "v1,AAAA " + signature,
                                body,
                                Instant.now()))
                .isNull();
        // any change breaks it
        assertThat(verifier.problem("evt_2", Long.toString(now), signature, body, Instant.now()))
                .isNotNull();
        assertThat(
                        verifier.problem(
                                "evt_1", Long.toString(now), signature, body + " ", Instant.now()))
                .isNotNull();
        assertThat(
                        new StandardWebhooksVerifier(b)
                                .problem(
                                        "evt_1",
                                        Long.toString(now),
                                        signature,
                                        body,
                                        Instant.now()))
                .isNotNull();
        assertThat(
                        verifier.problem(
                                "evt_1",
                                Long.toString(now - 3600),
                                new WebhookSigner(a).sign("evt_1", now - 3600, body),
                                body,
                                Instant.now()))
                .as("too old")
                .isNotNull();
    }

    @Test
    void rejectsWhatIsNotASecret() {
        assertThatThrownBy(() -> new WebhookSigner("abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
