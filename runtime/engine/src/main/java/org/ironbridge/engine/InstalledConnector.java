package org.ironbridge.engine;

import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorFactory;

/**
 * A connector factory registered by a bundle, with the bundle's identity.
 *
 * @param descriptor the factory's descriptor
 * @param factory the factory service
 * @param bundleSymbolicName the bundle that registered it
 * @param bundleVersion that bundle's version
 * @param bundleId that bundle's id in the framework
 */
public record InstalledConnector(
        ConnectorDescriptor descriptor,
        ConnectorFactory factory,
        String bundleSymbolicName,
        String bundleVersion,
        long bundleId) {

    public String system() {
        return descriptor.system();
    }
}
