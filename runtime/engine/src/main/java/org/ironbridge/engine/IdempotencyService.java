package org.ironbridge.engine;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * {@code Idempotency-Key} handling for writes: a repeated write with the same key (within 24 h)
 * gets the first response without calling the source again.
 */
@ProviderType
public interface IdempotencyService {

    /** A response remembered for a key. */
    record StoredResponse(int status, String body, String location) {}

    /**
     * Reserves the key for a request, or returns the response remembered for it.
     *
     * @param fingerprint a hash of the request (method, path, body)
     * @return the remembered response; empty when the key is new and now reserved for this request
     * @throws EngineException {@code IDEMPOTENCY_CONFLICT} when the key was used with a different
     *     request, or a request with the key is still in progress
     */
    Optional<StoredResponse> begin(String connectionId, String key, String fingerprint)
            throws EngineException;

    /** Remembers the response of a reserved key. */
    void complete(String connectionId, String key, StoredResponse response);

    /**
     * Releases a reserved key after a failure that must not be replayed (e.g. the source was
     * unavailable).
     */
    void abandon(String connectionId, String key);
}
