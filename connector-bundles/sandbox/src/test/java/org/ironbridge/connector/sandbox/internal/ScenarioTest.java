package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;

import java.time.Duration;
import java.util.List;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();

    interface Call {
        void run(ConnectorSession s) throws Exception;
    }

    private static final List<Call> EVERY_CALL =
            List.of(
                    ConnectorSession::verify,
                    s -> s.read(new ReadRequest(EntityType.VENDORS, null, null, 10)),
                    s -> s.get(EntityType.VENDORS, "VEN-000001"),
                    s -> s.create(EntityType.VENDORS, Json.object().put("name", "X")),
                    s ->
                            s.update(
                                    EntityType.VENDORS,
                                    "VEN-000001",
                                    Json.object().put("notes", "x")),
                    s -> s.delete(EntityType.VENDORS, "VEN-000002"),
                    s ->
                            s.passthrough(
                                    new PassthroughRequest("GET", "/vendors", null, null, null)));

    private static ConnectorException failure(ConnectorSession s, Call call) {
        return catchThrowableOfType(ConnectorException.class, () -> call.run(s));
    }

    @Test
    void aWrongPasswordIsRejectedByEveryCall() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "password", "secret");
        for (Call call : EVERY_CALL) {
            ConnectorException e = failure(s, call);
            assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
            assertThat(e.getMessage())
                    .isEqualTo("The password was rejected by the sandbox (use \"sandbox\")");
        }
        ConnectorSession right = open(factory, clock, "c");
        right.verify();
        assertThat(right.get(EntityType.VENDORS, "VEN-000002")).isNotNull();
    }

    @Test
    void anOutageMakesEveryCallUnavailable() throws Exception {
        ConnectorSession s =
                open(factory, clock, "c", "outage", "true", "password", "wrong", "error_rate", "1");
        for (Call call : EVERY_CALL) {
            ConnectorException e = failure(s, call);
            assertThat(e.kind()).isEqualTo(Kind.SOURCE_UNAVAILABLE);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage())
                    .isEqualTo("The sandbox server did not answer (simulated outage)");
        }
    }

    @Test
    void anOutageOfSomeSecondsEndsByItself() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "outage_seconds", "30");
        clock.advance(Duration.ofMinutes(5)); // the outage begins with its first call, not before
        for (Call call : EVERY_CALL) {
            assertThat(failure(s, call).kind()).isEqualTo(Kind.SOURCE_UNAVAILABLE);
        }
        clock.advance(Duration.ofSeconds(29));
        assertThat(failure(s, ConnectorSession::verify).getMessage())
                .isEqualTo("The sandbox server did not answer (simulated outage)");
        clock.advance(Duration.ofSeconds(1));
        s.verify();
        assertThat(s.get(EntityType.VENDORS, "VEN-000001")).isNotNull();
        // the outage belongs to the connection: a reopened session does not start it again
        open(factory, clock, "c", "outage_seconds", "30").verify();
    }

    @Test
    void faultsBeginAfterTheConfiguredNumberOfCalls() throws Exception {
        ConnectorSession s =
                open(
                        factory,
                        clock,
                        "c",
                        "faults_after_calls",
                        "2",
                        "outage_seconds",
                        "10",
                        "error_rate",
                        "1",
                        "error_rate_seconds",
                        "20");
        s.verify(); // e.g. the connection is made
        s.get(EntityType.VENDORS, "VEN-000001");
        // from the third call: the outage for 10 s ...
        assertThat(failure(s, ConnectorSession::verify).getMessage())
                .isEqualTo("The sandbox server did not answer (simulated outage)");
        clock.advance(Duration.ofSeconds(10));
        // ... then server errors (their period began with the first call that passed the outage)
        assertThat(failure(s, ConnectorSession::verify).getMessage())
                .isEqualTo("HTTP 503 from sandbox (simulated error)");
        clock.advance(Duration.ofSeconds(19));
        assertThat(failure(s, ConnectorSession::verify).kind()).isEqualTo(Kind.SOURCE_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            s.verify();
        }

        // a permanent outage after some calls
        ConnectorSession later =
                open(factory, clock, "d", "faults_after_calls", "1", "outage", "true");
        later.verify();
        clock.advance(Duration.ofDays(1));
        assertThat(failure(later, ConnectorSession::verify).kind())
                .isEqualTo(Kind.SOURCE_UNAVAILABLE);
    }

    @Test
    void aReadOnlyAccountReadsButMayNotWrite() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "read_only", "true");
        s.verify();
        s.read(new ReadRequest(EntityType.VENDORS, null, null, 10));
        assertThat(s.get(EntityType.VENDORS, "VEN-000001")).isNotNull();
        for (Call write : EVERY_CALL.subList(3, 6)) {
            ConnectorException e = failure(s, write);
            assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("may read but not change records");
        }
        assertThat(s.get(EntityType.VENDORS, "VEN-000002")).as("not deleted").isNotNull();
    }

    @Test
    void credentialsAreRejectedAfterTheConfiguredNumberOfCalls() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "fail_auth_after_calls", "3");
        s.verify();
        s.get(EntityType.ITEMS, "ITM-000001");
        s.read(new ReadRequest(EntityType.ITEMS, null, null, 5));
        for (Call call : EVERY_CALL) {
            ConnectorException e = failure(s, call);
            assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
            assertThat(e.getMessage()).contains("simulated password change after 3 calls");
        }
        // the counter belongs to the connection, not the session
        ConnectorSession reopened = open(factory, clock, "c", "fail_auth_after_calls", "3");
        assertThat(failure(reopened, ConnectorSession::verify).kind())
                .isEqualTo(Kind.CREDENTIALS_REJECTED);
        open(factory, clock, "other", "fail_auth_after_calls", "3").verify();
        // changing the scenario resets it
        open(factory, clock, "c", "fail_auth_after_calls", "0").verify();
    }

    @Test
    void theRateLimitAnswersWithTheTimeUntilTheWindowFrees() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "rate_limit_per_minute", "5");
        for (int i = 0; i < 5; i++) {
            s.verify();
            clock.advance(Duration.ofSeconds(10));
        }
        // now T0+50s: the five calls at 0, 10, ..., 40 s fill the window
        ConnectorException e = failure(s, ConnectorSession::verify);
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
        assertThat(e.isTransient()).isTrue();

        clock.advance(Duration.ofSeconds(9).plusMillis(500));
        assertThat(failure(s, ConnectorSession::verify).retryAfter())
                .contains(Duration.ofMillis(500));

        clock.advance(Duration.ofMillis(500)); // T0+60s: the call at T0 left the window
        s.get(EntityType.VENDORS, "VEN-000001");
        assertThat(failure(s, ConnectorSession::verify).retryAfter())
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void theErrorRateFailsAboutThatShareOfCalls() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "error_rate", "0.3");
        int failed = 0;
        for (int i = 0; i < 2000; i++) {
            try {
                s.verify();
            } catch (ConnectorException e) {
                assertThat(e.kind()).isEqualTo(Kind.SOURCE_UNAVAILABLE);
                assertThat(e.getMessage()).isEqualTo("HTTP 503 from sandbox (simulated error)");
                failed++;
            }
        }
        assertThat(failed).isBetween(520, 680);

        ConnectorSession always = open(factory, clock, "d", "error_rate", "1");
        assertThat(failure(always, ConnectorSession::verify).kind())
                .isEqualTo(Kind.SOURCE_UNAVAILABLE);
        ConnectorSession never = open(factory, clock, "e", "error_rate", "0");
        for (int i = 0; i < 200; i++) {
            never.verify();
        }
    }

    @Test
    void theErrorSequenceIsReproducibleForASeed() throws Exception {
        assertThat(errorPattern(new SandboxConnectorFactory()))
                .isEqualTo(errorPattern(new SandboxConnectorFactory()))
                .contains("x")
                .contains(".");
    }

    private String errorPattern(SandboxConnectorFactory f) throws Exception {
        ConnectorSession s = open(f, clock, "c", "error_rate", "0.5", "seed", "3");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            try {
                s.verify();
                sb.append('.');
            } catch (ConnectorException e) {
                sb.append('x');
            }
        }
        return sb.toString();
    }

    @Test
    void latencyDelaysEveryCall() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "latency_ms", "150");
        long start = System.nanoTime();
        s.verify();
        s.get(EntityType.ASSETS, "AST-000001");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isGreaterThanOrEqualTo(300);
    }

    @Test
    void malformedScenarioValuesAreReportedTogetherWhenOpening() {
        ConnectorException e =
                catchThrowableOfType(
                        ConnectorException.class,
                        () ->
                                open(
                                        factory,
                                        clock,
                                        "c",
                                        "seed",
                                        "abc",
                                        "dataset_size",
                                        "-5",
                                        "error_rate",
                                        "1.5",
                                        "latency_ms",
                                        "2.5",
                                        "outage",
                                        "maybe",
                                        "rate_limit_per_minute",
                                        "ten",
                                        "outage_seconds",
                                        "-1",
                                        "faults_after_calls",
                                        "x"));
        assertThat(e.kind()).isEqualTo(Kind.VALIDATION_FAILED);
        assertThat(e.fieldErrors())
                .containsExactlyInAnyOrder(
                        new FieldError("credentials.seed", "must be a number"),
                        new FieldError("credentials.dataset_size", "must not be negative"),
                        new FieldError("credentials.error_rate", "must be between 0 and 1"),
                        new FieldError("credentials.latency_ms", "must be a whole number"),
                        new FieldError("credentials.outage", "must be true or false"),
                        new FieldError("credentials.rate_limit_per_minute", "must be a number"),
                        new FieldError("credentials.outage_seconds", "must not be negative"),
                        new FieldError("credentials.faults_after_calls", "must be a number"));
        assertThat(e.getMessage())
                .startsWith("Invalid sandbox settings:")
                .contains("credentials.seed");

        ConnectorException missing =
                catchThrowableOfType(
                        ConnectorException.class,
                        () -> open(factory, clock, "c", "username", " ", "password", null));
        assertThat(missing.fieldErrors())
                .containsExactlyInAnyOrder(
                        new FieldError("credentials.username", "is required"),
                        new FieldError("credentials.password", "is required"));
        ConnectorException huge =
                catchThrowableOfType(
                        ConnectorException.class,
                        () -> open(factory, clock, "c", "dataset_size", "20000000"));
        assertThat(huge.fieldErrors())
                .containsExactly(
                        new FieldError("credentials.dataset_size", "must be at most 10000000"));
        assertThat(factory.system("c")).as("no system for rejected settings").isNull();
    }
}
