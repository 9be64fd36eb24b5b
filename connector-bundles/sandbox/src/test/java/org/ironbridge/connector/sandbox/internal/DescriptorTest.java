package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.CredentialField.Type;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class DescriptorTest {
    private final ConnectorDescriptor d = new SandboxConnectorFactory().descriptor();

    @Test
    void identifiesTheSandbox() {
        assertThat(d.system()).isEqualTo("sandbox");
        assertThat(d.name()).isEqualTo("Sandbox ERP + CMMS");
        assertThat(d.vendor()).isEqualTo("Ironbridge");
        assertThat(d.category()).isEqualTo(Category.SANDBOX);
        assertThat(d.credits()).isEqualTo(Map.of(Deployment.CLOUD, 1, Deployment.ON_PREM, 2));
        assertThat(new SandboxConnectorFactory().descriptor()).isSameAs(d);
    }

    @Test
    void mapsEveryEntityWithEveryCapabilityReadingNewestFirst() {
        assertThat(d.entities()).containsOnlyKeys(EntityType.values());
        for (EntityType e : EntityType.values()) {
            assertThat(d.capabilities(e))
                    .as(e.collection())
                    .isEqualTo(EntityCapabilities.all().withNewestFirst());
        }
    }

    @Test
    void declaresLoginAndScenarioFields() {
        List<CredentialField> fields = d.credentialFields();
        assertThat(fields)
                .extracting(CredentialField::name)
                .containsExactly(
                        "username",
                        "password",
                        "seed",
                        "dataset_size",
                        "activity_per_minute",
                        "latency_ms",
                        "error_rate",
                        "rate_limit_per_minute",
                        "fail_auth_after_calls",
                        "outage",
                        "outage_seconds",
                        "error_rate_seconds",
                        "faults_after_calls",
                        "read_only");
        assertThat(fields.get(0).type()).isEqualTo(Type.TEXT);
        assertThat(fields.get(0).required()).isTrue();
        assertThat(fields.get(1).type()).isEqualTo(Type.SECRET);
        assertThat(fields.get(1).required()).isTrue();
        assertThat(fields.get(1).secret()).isTrue();

        Map<String, String> defaults =
                Map.of(
                        "seed", "42",
                        "dataset_size", "1000",
                        "activity_per_minute", "10",
                        "latency_ms", "0",
                        "error_rate", "0",
                        "rate_limit_per_minute", "0",
                        "fail_auth_after_calls", "0");
        for (CredentialField f : fields.subList(2, 9)) {
            assertThat(f.type()).as(f.name()).isEqualTo(Type.NUMBER);
            assertThat(f.required()).as(f.name()).isFalse();
            assertThat(f.defaultValue()).as(f.name()).isEqualTo(defaults.get(f.name()));
        }
        CredentialField outage = fields.get(9);
        assertThat(outage.type()).isEqualTo(Type.SELECT);
        assertThat(outage.options()).containsExactly("false", "true");
        assertThat(outage.defaultValue()).isEqualTo("false");
        assertThat(outage.required()).isFalse();
        assertThat(fields.get(13).options()).containsExactly("false", "true");
        assertThat(fields.get(13).defaultValue()).isEqualTo("false");
        for (CredentialField f : fields.subList(10, 13)) {
            assertThat(f.type()).as(f.name()).isEqualTo(Type.NUMBER);
            assertThat(f.required()).as(f.name()).isFalse();
            assertThat(f.defaultValue()).as(f.name()).isEqualTo("0");
        }
        for (CredentialField f : fields) {
            assertThat(f.help()).as(f.name()).isNotBlank().endsWith(".");
        }
    }
}
