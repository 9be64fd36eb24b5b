package org.ironbridge.connector.sandbox.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.CredentialField.Type;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.RateLimit;
import org.ironbridge.model.EntityType;
import org.osgi.service.component.annotations.Component;

/**
 * The sandbox connector: a simulated ERP + CMMS for demos, client development and tests.
 *
 * <p>Each connection gets its own simulated system (kept while this component is active), so a
 * session reopened for the same connection with the same seed and dataset size sees the same data,
 * including earlier writes, and shares the failure scenarios' counters.
 */
@Component(service = ConnectorFactory.class)
public final class SandboxConnectorFactory implements ConnectorFactory {

    /** The rate limit the sandbox declares: 1,000 calls per second per connection. */
    static final RateLimit RATE_LIMIT = RateLimit.perSecond(1000);

    static final ConnectorDescriptor DESCRIPTOR = buildDescriptor();

    /** One connection's simulated system and scenario state. */
    record Connection(SandboxSystem system, ScenarioGuard guard) {}

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    public SandboxConnectorFactory() {}

    private static ConnectorDescriptor buildDescriptor() {
        ConnectorDescriptor.Builder b =
                ConnectorDescriptor.builder("sandbox")
                        .name("Sandbox ERP + CMMS")
                        .vendor("Ironbridge")
                        .category(Category.SANDBOX)
                        .deployment(Deployment.CLOUD, 1)
                        .deployment(Deployment.ON_PREM, 2)
                        // the sandbox server's documented limit per account; the runtime keeps
                        // each connection's calls within it (the rate_limit_per_minute scenario
                        // below simulates a stricter, undeclared limit answered with 429)
                        .rateLimit(RATE_LIMIT)
                        .credentialField(
                                new CredentialField(
                                        "username",
                                        "Username",
                                        Type.TEXT,
                                        true,
                                        "Any user name; the sandbox does not check it.",
                                        List.of(),
                                        null))
                        .credentialField(
                                new CredentialField(
                                        "password",
                                        "Password",
                                        Type.SECRET,
                                        true,
                                        "The sandbox accepts only the password \"sandbox\".",
                                        List.of(),
                                        null))
                        .credentialField(
                                CredentialField.optional(
                                        "seed",
                                        "Data seed",
                                        Type.NUMBER,
                                        "42",
                                        "The same seed always produces the same sample data."))
                        .credentialField(
                                CredentialField.optional(
                                        "dataset_size",
                                        "Dataset size",
                                        Type.NUMBER,
                                        "1000",
                                        "How many purchase orders the sandbox has; the other"
                                                + " records scale with it."))
                        .credentialField(
                                CredentialField.optional(
                                        "activity_per_minute",
                                        "Changes per minute",
                                        Type.NUMBER,
                                        "10",
                                        "How many records the simulated users change each"
                                                + " minute (0 for none)."))
                        .credentialField(
                                CredentialField.optional(
                                        "latency_ms",
                                        "Latency (ms)",
                                        Type.NUMBER,
                                        "0",
                                        "How long every call to the sandbox takes, in"
                                                + " milliseconds."))
                        .credentialField(
                                CredentialField.optional(
                                        "error_rate",
                                        "Error rate",
                                        Type.NUMBER,
                                        "0",
                                        "The share of calls, from 0 to 1, that fail with a"
                                                + " temporary server error."))
                        .credentialField(
                                CredentialField.optional(
                                        "rate_limit_per_minute",
                                        "Rate limit per minute",
                                        Type.NUMBER,
                                        "0",
                                        "How many calls per minute the sandbox accepts before"
                                                + " it asks to slow down (0 for no limit)."))
                        .credentialField(
                                CredentialField.optional(
                                        "fail_auth_after_calls",
                                        "Reject login after N calls",
                                        Type.NUMBER,
                                        "0",
                                        "After this many calls the sandbox rejects the"
                                                + " password, as if it had been changed (0 for"
                                                + " never)."))
                        .credentialField(
                                new CredentialField(
                                        "outage",
                                        "Simulate an outage",
                                        Type.SELECT,
                                        false,
                                        "When true, the sandbox does not answer at all.",
                                        List.of("false", "true"),
                                        "false"))
                        .credentialField(
                                CredentialField.optional(
                                        "outage_seconds",
                                        "Outage length (s)",
                                        Type.NUMBER,
                                        "0",
                                        "An outage of this many seconds from its first call, after"
                                                + " which the sandbox answers again (0: an outage"
                                                + " set with outage never ends)."))
                        .credentialField(
                                CredentialField.optional(
                                        "error_rate_seconds",
                                        "Error period (s)",
                                        Type.NUMBER,
                                        "0",
                                        "The error rate applies for this many seconds from its"
                                                + " first call, then calls succeed again (0 for"
                                                + " always)."))
                        .credentialField(
                                CredentialField.optional(
                                        "faults_after_calls",
                                        "Faults after N calls",
                                        Type.NUMBER,
                                        "0",
                                        "The outage and the error rate begin only after this"
                                                + " many calls, so that a connection can be made"
                                                + " first (0 for from the first call)."))
                        .credentialField(
                                new CredentialField(
                                        "read_only",
                                        "Read-only account",
                                        Type.SELECT,
                                        false,
                                        "When true, the account may read but not create, update"
                                                + " or delete records.",
                                        List.of("false", "true"),
                                        "false"));
        for (EntityType e : EntityType.values()) {
            b.entity(e, EntityCapabilities.all().withNewestFirst());
        }
        return b.build();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        SandboxSettings s = SandboxSettings.parse(credentials);
        Instant now = context.clock().instant();
        String key = context.connectionId() == null ? "" : context.connectionId();
        Connection c =
                connections.compute(
                        key,
                        (id, old) -> {
                            SandboxSystem system =
                                    old != null && old.system().matches(s.seed(), s.datasetSize())
                                            ? old.system()
                                            : new SandboxSystem(
                                                    s.seed(),
                                                    s.datasetSize(),
                                                    s.activityPerMinute(),
                                                    now);
                            ScenarioGuard guard =
                                    old != null
                                                    && old.system() == system
                                                    && old.guard().scenarios().equals(s.scenarios())
                                            ? old.guard()
                                            : new ScenarioGuard(s.scenarios(), s.seed());
                            return new Connection(system, guard);
                        });
        c.system().setActivityPerMinute(s.activityPerMinute(), now);
        context.logger().debug("Opened a sandbox session: {}", s);
        return new SandboxSession(s, c.system(), c.guard(), context);
    }

    /** The simulated system of a connection, for tests. */
    SandboxSystem system(String connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.system();
    }
}
