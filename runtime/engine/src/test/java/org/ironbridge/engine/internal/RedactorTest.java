package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the request log must never keep: tokens, credentials, secrets. */
class RedactorTest {
    private static final String TOKEN = "ibt_AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static final String KEY = "ibk_0123456789abcdefABCDEF";

    @Test
    void secretNames() {
        assertThat(Redactor.secretName("Authorization")).isTrue();
        assertThat(Redactor.secretName("X-API-Key")).isTrue();
        assertThat(Redactor.secretName("password")).isTrue();
        assertThat(Redactor.secretName("db_password")).isTrue();
        assertThat(Redactor.secretName("client_secret")).isTrue();
        assertThat(Redactor.secretName("access_token")).isTrue();
        assertThat(Redactor.secretName("api_key")).isTrue();
        assertThat(Redactor.secretName("credentials")).isTrue();
        assertThat(Redactor.secretName("Cookie")).isTrue();
        assertThat(Redactor.secretName("content-type")).isFalse();
        assertThat(Redactor.secretName("customer_id")).isFalse();
        assertThat(Redactor.secretName("code")).isFalse();
        assertThat(Redactor.secretName("next_cursor")).isFalse();
    }

    @Test
    void tokensAreRedactedAnywhereButHintsAndWordsStay() {
        assertThat(Redactor.tokens("Bearer " + TOKEN + " and " + KEY + "."))
                .isEqualTo("Bearer ibt_[REDACTED] and ibk_[REDACTED].");
        assertThat(Redactor.tokens("whsec_c2VjcmV0c2VjcmV0c2VjcmV0")).isEqualTo("whsec_[REDACTED]");
        assertThat(Redactor.tokens("/connect/ibs_0123456789abcdef0123/x"))
                .isEqualTo("/connect/ibs_[REDACTED]/x");
        assertThat(Redactor.tokens("a token starts with ibt_ and its hint is ibt_abcd"))
                .isEqualTo("a token starts with ibt_ and its hint is ibt_abcd");
        assertThat(Redactor.tokens("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void headersLoseSecretValuesAndTokens() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Authorization", List.of("Bearer " + TOKEN));
        h.put("X-Api-Key", List.of("k"));
        h.put("Cookie", List.of("session=abc"));
        h.put("Accept", List.of("application/json", "text/plain"));
        h.put("X-Note", List.of("copied " + KEY));
        assertThat(Redactor.headers(h))
                .containsEntry("authorization", "[REDACTED]")
                .containsEntry("x-api-key", "[REDACTED]")
                .containsEntry("cookie", "[REDACTED]")
                .containsEntry("accept", "application/json, text/plain")
                .containsEntry("x-note", "copied ibk_[REDACTED]");
    }

    @Test
    void queryStringsAndUrls() {
        assertThat(Redactor.query("page_size=5&api_key=s3cr3t&token=" + TOKEN + "&code=xyz&q=a"))
                .isEqualTo("page_size=5&api_key=[REDACTED]&token=[REDACTED]&code=[REDACTED]&q=a");
        assertThat(Redactor.query("filter%5Bstatus%5D=open&Password=x&flag"))
                .isEqualTo("filter%5Bstatus%5D=open&Password=[REDACTED]&flag");
        assertThat(
                        Redactor.url(
                                URI.create(
                                        "https://admin:hunter2@erp.example.com:8443/api/v1/orders"
                                                + "?limit=10&access_token=abc&sig=1#frag")))
                .isEqualTo(
                        "https://erp.example.com:8443/api/v1/orders?limit=10&access_token=[REDACTED]"
                                + "&sig=[REDACTED]");
        assertThat(Redactor.url(URI.create("http://10.0.0.5/jsonrpc")))
                .isEqualTo("http://10.0.0.5/jsonrpc");
    }

    @Test
    void jsonBodiesLoseSecretFieldsCredentialsAndTokens() {
        String body =
                "{\"system\":\"sandbox\",\"customer_id\":\"acme\",\"credentials\":{\"username\":\"u\","
                        + "\"password\":\"sandbox\",\"latency_ms\":5},\"note\":\"use "
                        + TOKEN
                        + "\",\"amount\":1250.00,\"lines\":[{\"qty\":1e3,\"api_key\":[1,2]}],"
                        + "\"token\":\""
                        + TOKEN
                        + "\",\"ok\":true,\"none\":null}";
        String out = body(body, "application/json", false);
        assertThat(out)
                .isEqualTo(
                        "{\"system\":\"sandbox\",\"customer_id\":\"acme\",\"credentials\":\"[REDACTED]\","
                                + "\"note\":\"use ibt_[REDACTED]\",\"amount\":1250.00,\"lines\":"
                                + "[{\"qty\":1e3,\"api_key\":\"[REDACTED]\"}],\"token\":\"[REDACTED]\","
                                + "\"ok\":true,\"none\":null}");
        assertThat(out).doesNotContain("sandbox\",\"latency").doesNotContain(TOKEN);
    }

    @Test
    void aBodyCutShortEndsAtItsLastWholeTokenAndInvalidJsonIsScanned() {
        String cut = "{\"name\":\"x\",\"password\":\"hunt";
        assertThat(body(cut, "application/json", true))
                .isEqualTo("{\"name\":\"x\",\"password\":\"[REDACTED]\"…");
        assertThat(body("{\"name\":\"x\",\"note\":\"hello wor", "application/json", true))
                .isEqualTo("{\"name\":\"x\",\"note\"…");
        String invalid = "{\"password\": \"hunter2\", oops \"client_secret\":\"abc\", \"a\":1";
        assertThat(body(invalid, "application/json", false))
                .isEqualTo(
                        "{\"password\": \"[REDACTED]\", oops \"client_secret\":\"[REDACTED]\","
                                + " \"a\":1");
        assertThat(
                        body(
                                "{ \"credentials\" : {\"password\":\"p\", \"x\":[1,\"}\"]}, \"b\":2 oops",
                                "application/json",
                                false))
                .isEqualTo("{ \"credentials\" : [REDACTED], \"b\":2 oops");
    }

    @Test
    void formsTextAndBinaryBodies() {
        assertThat(
                        body(
                                "username=u&password=p%26q&remember=1",
                                "application/x-www-form-urlencoded", false))
                .isEqualTo("username=u&password=[REDACTED]&remember=1");
        assertThat(body("login ok\npassword: hunter2\ntoken=" + TOKEN + "\n", "text/plain", false))
                .isEqualTo("login ok\npassword: [REDACTED]\ntoken=[REDACTED]\n");
        assertThat(body("PK\u0003\u0004...", "application/java-archive", false))
                .isEqualTo("[7 bytes of application/java-archive]");
        // no content type: JSON is recognized by its first character
        assertThat(body(" {\"secret\":\"s\"}", null, false))
                .isEqualTo("{\"secret\":\"[REDACTED]\"}");
    }

    @Test
    void bodiesWithoutAnythingToRedactAreKeptAsTheyAreWithoutParsing() {
        String order = new String(RequestLogBench.purchaseOrder(), StandardCharsets.UTF_8);
        assertThat(Redactor.mayHoldSecrets(order)).isFalse();
        assertThat(body(order, "application/json", false)).isEqualTo(order);
        // kept as sent, spaces included (parsing would have compacted them)
        assertThat(body("{ \"id\": \"po_1\", \"lines\": [] }", "application/json", false))
                .isEqualTo("{ \"id\": \"po_1\", \"lines\": [] }");
        // a cut JSON body still ends at its last whole token
        assertThat(body("{\"name\":\"x\",\"note\":\"hello wor", "application/json", true))
                .isEqualTo("{\"name\":\"x\",\"note\"…");
        // every word of a secret name, a token prefix or an escape sends the text to redaction
        for (String s :
                List.of(
                        "{\"Authorization\":1}",
                        "{\"COOKIE\":1}",
                        "a=1&code=2",
                        "{\"Credentials\":{}}",
                        "{\"apiKey\":1}",
                        "{\"passwd\":1}",
                        "{\"pwd\":1}",
                        "{\"sig\":1}",
                        "{\"client_secret\":1}",
                        "{\"SessionId\":1}",
                        "{\"refresh_token\":1}",
                        "see " + TOKEN,
                        "see " + KEY,
                        "whsec_c2VjcmV0c2VjcmV0",
                        "pass%77ord=x",
                        "{\"\\u0070assword\":\"x\"}",
                        // the Kelvin sign is a k in lower case
                        "{\"api_\u212Aey\":\"x\"}")) {
            assertThat(Redactor.mayHoldSecrets(s)).as(s).isTrue();
        }
        assertThat(body("{\"\\u0070assword\":\"x\"}", "application/json", false))
                .isEqualTo("{\"password\":\"[REDACTED]\"}");
        assertThat(body("pass%77ord=x&a=1", "application/x-www-form-urlencoded", false))
                .isEqualTo("pass%77ord=[REDACTED]&a=1");
    }

    @Test
    void theByteScanFindsEverythingThatLowerCasingCouldTurnIntoASecretWord() {
        // random texts of letters of the words, their upper case, the four characters outside
        // ASCII whose case is an ASCII letter, other non-ASCII text, escapes: whenever the lower
        // case of the text contains a word, a token prefix or an escape, the scan says so
        String alphabet =
                "autheoknycrdlpswgi_bvAUTHEOKNYCRDLPSWGIBV%\\é€ü\u0130\u0131\u017F\u212A ";
        List<String> words =
                List.of(
                        "auth",
                        "cookie",
                        "code",
                        "credential",
                        "key",
                        "pass",
                        "pwd",
                        "sig",
                        "secret",
                        "session",
                        "token");
        // token prefixes and escapes count as they are written
        List<String> exact = List.of("ibk_", "ibt_", "ibs_", "ibc_", "whsec_", "%", "\\u");
        java.util.Random random = new java.util.Random(7);
        int positives = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            String lower = s.toLowerCase(java.util.Locale.ROOT);
            boolean expected =
                    words.stream().anyMatch(w -> lower.contains(w) || containsIgnoringCase(s, w))
                            || exact.stream().anyMatch(s::contains);
            if (expected) {
                positives++;
                assertThat(Redactor.mayHoldSecrets(s)).as(s).isTrue();
            }
        }
        assertThat(positives).isGreaterThan(1000);
        // and texts without any of it pass, non-ASCII text included
        assertThat(Redactor.mayHoldSecrets("{\"name\":\"Müller GmbH\",\"total\":\"12 €\"}"))
                .isFalse();
    }

    /** As {@link String#regionMatches(boolean, int, String, int, int)} sees case, anywhere. */
    private static boolean containsIgnoringCase(String s, String w) {
        for (int k = 0; k + w.length() <= s.length(); k++) {
            if (s.regionMatches(true, k, w, 0, w.length())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aBodyWithNothingToRedactIsStoredAsTheBytesItCameAs() {
        byte[] order = RequestLogBench.purchaseOrder();
        assertThat(Redactor.bodyUtf8(order, order.length, "application/json", false))
                .isSameAs(order);
        assertThat(Redactor.bodyUtf8(order, 10, "text/plain", true))
                .isEqualTo(java.util.Arrays.copyOf(order, 10));
        byte[] secret = "{\"password\":\"p\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(
                        new String(
                                Redactor.bodyUtf8(secret, secret.length, null, false),
                                StandardCharsets.UTF_8))
                .isEqualTo("{\"password\":\"[REDACTED]\"}");
    }

    @Test
    void headersAsJsonAreTheRedactedHeadersAsAJsonObject() throws Exception {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Authorization", List.of("Bearer " + TOKEN));
        h.put("X-Note", List.of("say \"hi\"\\ \u0001\n\t", "two"));
        h.put("Accept", List.of("*/*"));
        h.put("accept", List.of("application/json"));
        h.put("X-Empty", List.of());
        h.put(null, List.of("HTTP/1.1 200"));
        String json = Redactor.headersJson(h);
        assertThat(json).isEqualTo(Json.MAPPER.writeValueAsString(Redactor.headers(h)));
        assertThat(Json.MAPPER.readValue(json, Map.class))
                .containsEntry("authorization", "[REDACTED]")
                .containsEntry("x-note", "say \"hi\"\\ \u0001\n\t, two")
                .containsEntry("accept", "application/json")
                .containsEntry("x-empty", "")
                .hasSize(4);
        assertThat(Redactor.headersJson(Map.of())).isEqualTo("{}");
        assertThat(Redactor.headersJson(null)).isEqualTo("{}");
    }

    private static String body(String text, String type, boolean truncated) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Redactor.body(bytes, bytes.length, type, truncated);
    }
}
