package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;

import java.time.Duration;
import java.util.stream.Stream;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.IdempotencyService.StoredResponse;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdempotencyTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("idem");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aCompletedKeyIsReplayedAndAPendingOrDifferentRequestConflicts(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            IdempotencyManager idem = f.engine.idempotency();
            String fp = "POST /v1/vendors {\"name\":\"Acme\"}";
            assertThat(idem.begin("conn_1", "key-1", fp)).isEmpty();

            // the same key while the first request runs
            var e = failure(() -> idem.begin("conn_1", "key-1", fp));
            assertThat(e.code()).isEqualTo(Code.IDEMPOTENCY_CONFLICT);
            assertThat(e.getMessage()).contains("still in progress");

            StoredResponse first =
                    new StoredResponse(201, "{\"id\":\"ven_1\"}", "/v1/vendors/ven_1");
            idem.complete("conn_1", "key-1", first);
            assertThat(idem.begin("conn_1", "key-1", fp)).contains(first);
            assertThat(idem.begin("conn_1", "key-1", fp)).contains(first);

            e =
                    failure(
                            () ->
                                    idem.begin(
                                            "conn_1",
                                            "key-1",
                                            "POST /v1/vendors {\"name\":\"Other\"}"));
            assertThat(e.code()).isEqualTo(Code.IDEMPOTENCY_CONFLICT);
            assertThat(e.getMessage()).contains("different request");

            // keys are per connection
            assertThat(idem.begin("conn_2", "key-1", "anything")).isEmpty();

            // an abandoned key (the source was unavailable) can be used again
            assertThat(idem.begin("conn_1", "key-2", fp)).isEmpty();
            idem.abandon("conn_1", "key-2");
            assertThat(idem.begin("conn_1", "key-2", fp)).isEmpty();

            // after 24 hours a key is new again, even with another request
            f.clock.advance(Duration.ofHours(24).plusSeconds(1));
            assertThat(idem.begin("conn_1", "key-1", "POST /v1/items {}")).isEmpty();
            StoredResponse second = new StoredResponse(200, "{}", null);
            idem.complete("conn_1", "key-1", second);
            assertThat(idem.begin("conn_1", "key-1", "POST /v1/items {}")).contains(second);
            // key-2 (pending since yesterday) expired; the housekeeping removes old keys
            assertThat(idem.purgeExpired()).isEqualTo(2);

            String longKey = "k".repeat(255);
            assertThat(idem.begin("conn_1", longKey, fp)).isEmpty();
            e = failure(() -> idem.begin("conn_1", longKey + "k", fp));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors().get(0).field()).isEqualTo("Idempotency-Key");
            assertThat(failure(() -> idem.begin("conn_1", "", fp)).code())
                    .isEqualTo(Code.VALIDATION_FAILED);
        }
    }
}
