package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureMappingTest {

    @ParameterizedTest(name = "{0} → {1} (while connecting: {2})")
    @CsvSource({
        "CREDENTIALS_REJECTED, REAUTHORIZATION_REQUIRED, CREDENTIALS_REJECTED",
        "REAUTHORIZATION_REQUIRED, REAUTHORIZATION_REQUIRED, CREDENTIALS_REJECTED",
        "PERMISSION_DENIED, INSUFFICIENT_PERMISSIONS, CREDENTIALS_REJECTED",
        "RATE_LIMITED, RATE_LIMITED, RATE_LIMITED",
        "SOURCE_UNAVAILABLE, SOURCE_UNAVAILABLE, SOURCE_UNAVAILABLE",
        "NOT_FOUND, NOT_FOUND, NOT_FOUND",
        "VALIDATION_FAILED, VALIDATION_FAILED, VALIDATION_FAILED",
        "CONFLICT, CONFLICT, CONFLICT",
        "NOT_SUPPORTED, OPERATION_NOT_SUPPORTED, OPERATION_NOT_SUPPORTED",
        "SOURCE_ERROR, SOURCE_ERROR, SOURCE_ERROR"
    })
    void everyKindMapsToItsApiCode(Kind kind, Code code, Code whileConnecting) {
        ConnectorException e =
                new ConnectorException(
                        kind,
                        "the source said no",
                        Duration.ofSeconds(30),
                        List.of(new FieldError("lines[0].quantity", "must be > 0")),
                        null);
        EngineException mapped = Sessions.map(e, false);
        assertThat(mapped.code()).isEqualTo(code);
        assertThat(mapped.getMessage()).contains("the source said no");
        assertThat(Sessions.map(e, true).code()).isEqualTo(whileConnecting);
        if (kind == Kind.RATE_LIMITED || kind == Kind.SOURCE_UNAVAILABLE) {
            assertThat(mapped.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        } else {
            assertThat(mapped.retryAfter()).isNull();
        }
        if (kind == Kind.VALIDATION_FAILED) {
            assertThat(mapped.errors())
                    .containsExactly(new FieldError("lines[0].quantity", "must be > 0"));
        } else {
            assertThat(mapped.errors()).isEmpty();
        }
    }
}
