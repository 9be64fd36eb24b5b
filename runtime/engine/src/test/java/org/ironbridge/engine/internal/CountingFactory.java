package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * Wraps a real connector factory and counts the session calls that reach it per connection, so that
 * tests can tell whether the runtime called the source at all (e.g. not while a circuit is open).
 */
final class CountingFactory implements ConnectorFactory {
    private final ConnectorFactory delegate;
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    CountingFactory(ConnectorFactory delegate) {
        this.delegate = delegate;
    }

    /** The session calls (verify, read, get, create, update, delete, passthrough) so far. */
    int calls(String connectionId) {
        AtomicInteger n = calls.get(connectionId);
        return n == null ? 0 : n.get();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return delegate.descriptor();
    }

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        ConnectorSession s = delegate.open(credentials, context);
        AtomicInteger n = calls.computeIfAbsent(context.connectionId(), k -> new AtomicInteger());
        return new ConnectorSession() {
            @Override
            public void verify() throws ConnectorException {
                n.incrementAndGet();
                s.verify();
            }

            @Override
            public ChangePage read(ReadRequest request) throws ConnectorException {
                n.incrementAndGet();
                return s.read(request);
            }

            @Override
            public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
                n.incrementAndGet();
                return s.get(entity, remoteId);
            }

            @Override
            public SourceRecord create(EntityType entity, ObjectNode fields)
                    throws ConnectorException {
                n.incrementAndGet();
                return s.create(entity, fields);
            }

            @Override
            public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
                    throws ConnectorException {
                n.incrementAndGet();
                return s.update(entity, remoteId, changes);
            }

            @Override
            public void delete(EntityType entity, String remoteId) throws ConnectorException {
                n.incrementAndGet();
                s.delete(entity, remoteId);
            }

            @Override
            public PassthroughResponse passthrough(PassthroughRequest request)
                    throws ConnectorException {
                n.incrementAndGet();
                return s.passthrough(request);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
