package org.ironbridge.rest.internal;

import java.util.Locale;
import java.util.Optional;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.model.EntityType;

/** Checks a connection's declared capabilities before anything reaches the engine or the source. */
final class Capabilities {
    private Capabilities() {}

    /** The descriptor of the connection's connector, or 503 {@code connector_unavailable}. */
    static ConnectorDescriptor descriptor(Services services, ConnectionView c) {
        Optional<InstalledConnector> ic = services.require(services.connectors).find(c.system());
        return ic.map(InstalledConnector::descriptor)
                .orElseThrow(
                        () ->
                                new ApiException(
                                        ErrorCode.CONNECTOR_UNAVAILABLE,
                                        "The connector for "
                                                + c.system()
                                                + " is not installed or not started."));
    }

    static void require(Services services, ConnectionView c, EntityType type, Operation op) {
        if (!descriptor(services, c).capabilities(type).supports(op)) {
            throw new ApiException(
                    ErrorCode.OPERATION_NOT_SUPPORTED,
                    "The "
                            + c.system()
                            + " connector cannot "
                            + op.name().toLowerCase(Locale.ROOT)
                            + " "
                            + type.collection()
                            + " (see GET /v1/capabilities).");
        }
    }
}
