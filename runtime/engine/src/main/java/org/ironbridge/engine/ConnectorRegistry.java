package org.ironbridge.engine;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The connectors installed right now. Bundles come and go while the server runs; callers must not
 * cache what this returns beyond one request.
 */
@ProviderType
public interface ConnectorRegistry {

    /** Every installed connector, ordered by system id. */
    List<InstalledConnector> installed();

    /** The connector for a system id, if installed and started. */
    Optional<InstalledConnector> find(String system);
}
