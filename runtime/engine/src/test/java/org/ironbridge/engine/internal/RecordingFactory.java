package org.ironbridge.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.RateLimit;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * Wraps a real connector factory (the sandbox): records the read requests and the time (nanoTime)
 * of every call that reaches the source, can fail a chosen read, can declare another rate limit,
 * and keeps the sessions it opened so that a test can read the source directly.
 */
final class RecordingFactory implements ConnectorFactory {
    private final ConnectorFactory delegate;
    private final ConnectorDescriptor descriptor;
    final List<ReadRequest> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Long> callNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, ConnectorSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger readCount = new AtomicInteger();
    private volatile int failRead = -1;

    RecordingFactory(ConnectorFactory delegate) {
        this(delegate, delegate.descriptor());
    }

    RecordingFactory(ConnectorFactory delegate, ConnectorDescriptor descriptor) {
        this.delegate = delegate;
        this.descriptor = descriptor;
    }

    /** The delegate's descriptor with another declared rate limit (null: none). */
    static ConnectorDescriptor withRateLimit(ConnectorDescriptor d, RateLimit limit) {
        ConnectorDescriptor.Builder b =
                ConnectorDescriptor.builder(d.system())
                        .name(d.name())
                        .vendor(d.vendor())
                        .category(d.category())
                        .rateLimit(limit);
        d.credits().forEach(b::deployment);
        d.credentialFields().forEach(b::credentialField);
        d.entities().forEach(b::entity);
        return b.build();
    }

    /** Makes the nth read from now on (1 = the next) fail with a non-transient source error. */
    void failRead(int nth) {
        failRead = readCount.get() + nth;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        ConnectorSession s = delegate.open(credentials, context);
        ConnectorSession wrapped =
                new ConnectorSession() {
                    @Override
                    public void verify() throws ConnectorException {
                        callNanos.add(System.nanoTime());
                        s.verify();
                    }

                    @Override
                    public ChangePage read(ReadRequest request) throws ConnectorException {
                        callNanos.add(System.nanoTime());
                        reads.add(request);
                        if (readCount.incrementAndGet() == failRead) {
                            throw ConnectorException.sourceError("the source failed this read");
                        }
                        return s.read(request);
                    }

                    @Override
                    public SourceRecord get(EntityType entity, String remoteId)
                            throws ConnectorException {
                        callNanos.add(System.nanoTime());
                        return s.get(entity, remoteId);
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
        sessions.put(context.connectionId(), s);
        return wrapped;
    }
}
