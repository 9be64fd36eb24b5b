package org.ironbridge.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.InstalledConnector;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every {@link ConnectorFactory} service as it is registered and unregistered (hot deploy),
 * in the manner of openHAB's handler factories: a dynamic, greedy, multiple reference.
 */
@Component(service = ConnectorRegistry.class, immediate = true)
public final class ConnectorRegistryComponent implements ConnectorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistryComponent.class);

    /**
     * Keyed by service id, so that a second factory for the same system does not replace the first
     * silently.
     */
    private final ConcurrentHashMap<Long, InstalledConnector> byServiceId =
            new ConcurrentHashMap<>();

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindFactory(ConnectorFactory factory, ServiceReference<ConnectorFactory> ref) {
        ConnectorDescriptor d;
        try {
            d = factory.descriptor();
        } catch (RuntimeException e) {
            LOG.error("Connector factory of bundle {} has a broken descriptor", ref.getBundle(), e);
            return;
        }
        Bundle b = ref.getBundle();
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        byServiceId.put(
                id,
                new InstalledConnector(
                        d,
                        factory,
                        b.getSymbolicName(),
                        b.getVersion().toString(),
                        b.getBundleId()));
        LOG.info(
                "Connector {} ({}) installed from bundle {} {}",
                d.system(),
                d.name(),
                b.getSymbolicName(),
                b.getVersion());
    }

    void unbindFactory(ConnectorFactory factory, ServiceReference<ConnectorFactory> ref) {
        InstalledConnector gone = byServiceId.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone != null) {
            LOG.info("Connector {} removed", gone.system());
        }
    }

    @Override
    public List<InstalledConnector> installed() {
        List<InstalledConnector> list = new ArrayList<>(byServiceId.values());
        list.sort(
                Comparator.comparing(InstalledConnector::system)
                        .thenComparing(InstalledConnector::bundleId));
        return list;
    }

    @Override
    public Optional<InstalledConnector> find(String system) {
        // called on every data API request: no copy, no sort; the lowest bundle id wins, as in
        // installed()
        InstalledConnector found = null;
        for (InstalledConnector c : byServiceId.values()) {
            if (c.system().equals(system) && (found == null || c.bundleId() < found.bundleId())) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }
}
