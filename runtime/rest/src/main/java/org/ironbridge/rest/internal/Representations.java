package org.ironbridge.rest.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.engine.ConnectionHealth;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;

/**
 * The JSON shapes of the API, built from engine and SPI types (never returned as-is). snake_case on
 * the wire.
 */
final class Representations {
    private Representations() {}

    record Connector(
            String system,
            String name,
            String vendor,
            String version,
            String category,
            String state,
            List<String> deployments,
            Map<String, Integer> credits,
            List<Field> credentialFields,
            RateLimitView rateLimit,
            Map<String, Map<String, Boolean>> capabilities) {}

    /**
     * The source's documented rate limit per connection, which the runtime keeps its calls within:
     * at most {@code requests} calls every {@code periodSeconds}.
     */
    record RateLimitView(int requests, double periodSeconds) {}

    record Field(
            String name,
            String label,
            String type,
            boolean required,
            boolean secret,
            String help,
            List<String> options,
            String defaultValue) {}

    static Connector connector(InstalledConnector c) {
        ConnectorDescriptor d = c.descriptor();
        Map<String, Integer> credits = new LinkedHashMap<>();
        d.credits().forEach((k, v) -> credits.put(k.wireName(), v));
        return new Connector(
                d.system(),
                d.name(),
                d.vendor(),
                c.bundleVersion(),
                d.category().name().toLowerCase(Locale.ROOT),
                "active",
                d.deployments().stream().map(Deployment::wireName).toList(),
                credits,
                d.credentialFields().stream().map(Representations::field).toList(),
                d.rateLimit()
                        .map(l -> new RateLimitView(l.requests(), l.period().toMillis() / 1000.0))
                        .orElse(null),
                connectorCapabilities(d));
    }

    static Field field(CredentialField f) {
        return new Field(
                f.name(),
                f.label(),
                f.type().name().toLowerCase(Locale.ROOT),
                f.required(),
                f.secret(),
                f.help(),
                f.options(),
                f.defaultValue());
    }

    /**
     * The capability matrix of API.md: per collection, each operation plus incremental and deletes.
     */
    static Map<String, Map<String, Boolean>> capabilities(ConnectorDescriptor d) {
        return capabilities(d, false);
    }

    /**
     * The capability matrix of a connector's descriptor ({@code GET /v1/admin/connectors}): that of
     * {@link #capabilities(ConnectorDescriptor)} plus {@code newest_first}, whether the initial and
     * full syncs of the collection read the newest changes first.
     */
    static Map<String, Map<String, Boolean>> connectorCapabilities(ConnectorDescriptor d) {
        return capabilities(d, true);
    }

    private static Map<String, Map<String, Boolean>> capabilities(
            ConnectorDescriptor d, boolean syncOrder) {
        Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
        for (EntityType t : EntityType.values()) {
            EntityCapabilities c = d.capabilities(t);
            if (c.operations().isEmpty()) {
                continue;
            }
            Map<String, Boolean> m = new LinkedHashMap<>();
            for (Operation op : Operation.values()) {
                m.put(op.name().toLowerCase(Locale.ROOT), c.supports(op));
            }
            m.put("incremental", c.incremental());
            m.put("deletes", c.deletes());
            if (syncOrder) {
                m.put("newest_first", c.newestFirst());
            }
            out.put(t.collection(), m);
        }
        return out;
    }

    record Connection(
            String id,
            String system,
            String customerId,
            String name,
            String deployment,
            String status,
            String statusReason,
            String createdAt,
            String disconnectedAt,
            int credits,
            SyncConfig sync,
            Map<String, Sync> lastSync,
            Health health) {}

    /** {@code health} of a connection: its source calls in the last hour (see API.md). */
    record Health(
            @JsonProperty("error_rate_1h") Double errorRate1h,
            @JsonProperty("requests_1h") long requests1h,
            String lastSuccessAt,
            String circuit) {}

    static Health health(ConnectionHealth h) {
        return h == null
                ? null
                : new Health(h.errorRate1h(), h.requests1h(), time(h.lastSuccessAt()), h.circuit());
    }

    record SyncConfig(
            int initialDays, int intervalSeconds, List<String> entities, int reconcileSeconds) {}

    record Sync(
            String id,
            String connectionId,
            String entity,
            String kind,
            String status,
            String startedAt,
            String finishedAt,
            long recordsSeen,
            long recordsChanged,
            long recordsDeleted,
            Double progress,
            String error) {}

    static Connection connection(ConnectionView c) {
        Map<String, Sync> last = new LinkedHashMap<>();
        if (c.lastSync() != null) {
            c.lastSync().forEach((k, v) -> last.put(k, sync(v)));
        }
        return new Connection(
                c.id(),
                c.system(),
                c.customerId(),
                c.name(),
                c.deployment(),
                c.status(),
                c.statusReason(),
                time(c.createdAt()),
                time(c.disconnectedAt()),
                c.credits(),
                c.sync() == null
                        ? null
                        : new SyncConfig(
                                c.sync().initialDays(),
                                c.sync().intervalSeconds(),
                                c.sync().entities().stream()
                                        .map(EntityType::collection)
                                        .sorted()
                                        .toList(),
                                c.sync().reconcileSeconds()),
                last,
                health(c.health()));
    }

    static Sync sync(SyncView s) {
        return new Sync(
                s.id(),
                s.connectionId(),
                s.entity(),
                s.kind(),
                s.status(),
                time(s.startedAt()),
                time(s.finishedAt()),
                s.recordsSeen(),
                s.recordsChanged(),
                s.recordsDeleted(),
                s.progress(),
                s.error());
    }

    /** RFC 3339 in UTC, or null. */
    static String time(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
