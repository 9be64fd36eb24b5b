package org.ironbridge.engine;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs and removes connector bundles while the server runs (hot deploy through the admin API).
 * An installed connector survives a restart: the jar is kept in the server's hot-deploy folder.
 */
@ProviderType
public interface ConnectorInstaller {

    /**
     * Installs a connector bundle, or updates the installed bundle with the same symbolic name, and
     * waits (a few seconds at most) until its connector factories are registered.
     *
     * @param jar a file holding the uploaded jar; the installer copies what it keeps
     * @return the connectors the bundle registered
     * @throws EngineException {@code VALIDATION_FAILED} when the file is not an OSGi bundle that
     *     provides a connector factory, or the bundle failed to start; {@code SOURCE_ERROR} is
     *     never thrown here
     */
    List<InstalledConnector> install(Path jar) throws EngineException;

    /**
     * Uninstalls the bundle that provides a system's connector, and waits until its factory is
     * gone. Its connections answer {@code connector_unavailable} until a connector for the system
     * is installed again.
     *
     * @throws EngineException {@code NOT_FOUND} when no connector for the system is installed
     */
    void uninstall(String system) throws EngineException;
}
