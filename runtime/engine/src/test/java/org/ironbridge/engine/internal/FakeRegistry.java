package org.ironbridge.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.InstalledConnector;

/** A connector registry tests install and remove factories in. */
final class FakeRegistry implements ConnectorRegistry {
    private final ConcurrentHashMap<String, InstalledConnector> bySystem =
            new ConcurrentHashMap<>();
    private final AtomicLong bundleIds = new AtomicLong(100);

    void install(ConnectorFactory f) {
        bySystem.put(
                f.descriptor().system(),
                new InstalledConnector(
                        f.descriptor(),
                        f,
                        "test." + f.descriptor().system(),
                        "1.0.0",
                        bundleIds.incrementAndGet()));
    }

    void remove(String system) {
        bySystem.remove(system);
    }

    @Override
    public List<InstalledConnector> installed() {
        List<InstalledConnector> l = new ArrayList<>(bySystem.values());
        l.sort(Comparator.comparing(InstalledConnector::system));
        return l;
    }

    @Override
    public Optional<InstalledConnector> find(String system) {
        return Optional.ofNullable(bySystem.get(system));
    }
}
