package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.testkit.ConnectorConformanceTest.expectKind;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.connector.testkit.TestContext;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The source's failure signatures become the failure kinds the runtime acts on. */
class FailureMappingTest {
    private static final ObjectMapper JSON = RestClient.JSON;

    private final ConnectorFactoryComponent factory = new ConnectorFactoryComponent();
    private final TestContext context = TestContext.create("failures");
    private FakeSource source;
    private ConnectorSession session;

    @BeforeEach
    void open() throws Exception {
        source = FakeSource.start(3);
        session = factory.open(credentials(source.url().toString()), context);
    }

    @AfterEach
    void close() {
        session.close();
        source.close();
    }

    private static Credentials credentials(String url) {
        return Credentials.of(Map.of("url", url, "api_token", FakeSource.TOKEN));
    }

    @ParameterizedTest
    @CsvSource({
        "403, PERMISSION_DENIED",
        "404, NOT_FOUND",
        "409, CONFLICT",
        "422, VALIDATION_FAILED",
        "500, SOURCE_UNAVAILABLE",
        "503, SOURCE_UNAVAILABLE",
        "418, SOURCE_ERROR"
    })
    void statusCodesMapToKinds(int status, Kind kind) {
        source.failNext(status, null);
        ConnectorException e = expectKind(kind, () -> session.get(EntityType.WORK_ORDERS, "1"));
        assertThat(e.getMessage()).contains("HTTP " + status).doesNotContain(FakeSource.TOKEN);
    }

    @Test
    void rateLimitedWithTheSourcesRetryAfter() {
        source.failNext(429, "7");
        ConnectorException e = expectKind(Kind.RATE_LIMITED, () -> session.verify());
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void rateLimitedWithoutRetryAfterWaitsTheDefault() {
        source.failNext(429, null);
        ConnectorException e = expectKind(Kind.RATE_LIMITED, () -> session.verify());
        assertThat(e.retryAfter()).contains(RestClient.DEFAULT_RETRY_AFTER);
    }

    @Test
    void unreachableSourceIsUnavailable() throws Exception {
        String url;
        try (FakeSource stopped = FakeSource.start(0)) {
            url = stopped.url().toString();
        }
        ConnectorSession offline = factory.open(credentials(url), context);
        expectKind(Kind.SOURCE_UNAVAILABLE, offline::verify);
    }

    @Test
    void sourceFieldErrorsNameCanonicalFields() {
        ObjectNode noTitle = JSON.createObjectNode().put("priority", "low");
        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED,
                        () -> session.create(EntityType.WORK_ORDERS, noTitle));
        assertThat(e.fieldErrors()).containsExactly(new FieldError("title", "is required"));
    }

    @Test
    void fieldsTheSourceCannotTakeAreRejectedBeforeCallingIt() {
        ObjectNode body =
                JSON.createObjectNode()
                        .put("title", "Grease bearings")
                        .put("asset_id", "17")
                        .put("status", "scheduled");
        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED, () -> session.create(EntityType.WORK_ORDERS, body));
        assertThat(e.fieldErrors())
                .extracting(FieldError::field)
                .containsExactly("asset_id", "status");
        assertThat(context.calls()).isZero();
    }

    @Test
    void malformedUrlIsRejectedWhenOpening() {
        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED,
                        () -> factory.open(credentials("ftp://x/"), context));
        assertThat(e.fieldErrors())
                .extracting(FieldError::field)
                .containsExactly("credentials.url");
    }
}
