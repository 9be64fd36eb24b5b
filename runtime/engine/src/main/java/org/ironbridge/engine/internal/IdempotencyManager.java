package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.IdempotencyRepository;

/**
 * The {@link IdempotencyService}: keys are stored per connection for 24 hours (an expired key is
 * treated as new). A key whose request is still in progress, or that was used with a different
 * request, is {@code IDEMPOTENCY_CONFLICT}.
 */
final class IdempotencyManager implements IdempotencyService {
    static final Duration RETENTION = Duration.ofHours(24);
    static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyRepository keys;
    private final Clock clock;

    IdempotencyManager(DataSource ds, Clock clock) {
        this.keys = new IdempotencyRepository(ds);
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public Optional<StoredResponse> begin(String connectionId, String key, String fingerprint)
            throws EngineException {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw EngineException.invalid(
                    "The Idempotency-Key must be 1 to 255 characters long",
                    List.of(new FieldError("Idempotency-Key", "must be 1 to 255 characters long")));
        }
        String fp = Tokens.hash(fingerprint == null ? "" : fingerprint);
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = now();
            if (keys.insertPending(connectionId, key, fp, now)) {
                return Optional.empty();
            }
            Optional<IdempotencyRepository.Row> found = keys.find(connectionId, key);
            if (found.isEmpty()) {
                continue; // released meanwhile: try again
            }
            IdempotencyRepository.Row row = found.get();
            if (row.createdAt().isBefore(now.minus(RETENTION))) {
                if (keys.replaceExpired(connectionId, key, row.createdAt(), fp, now)) {
                    return Optional.empty();
                }
                continue;
            }
            if (!row.fingerprint().equals(fp)) {
                throw new EngineException(
                        Code.IDEMPOTENCY_CONFLICT,
                        "This Idempotency-Key was already used with a different request");
            }
            if (IdempotencyRepository.Row.PENDING.equals(row.state())) {
                throw new EngineException(
                        Code.IDEMPOTENCY_CONFLICT,
                        "A request with this Idempotency-Key is still in progress");
            }
            return Optional.of(
                    new StoredResponse(
                            row.statusCode() == null ? 200 : row.statusCode(),
                            row.body(),
                            row.location()));
        }
        throw new EngineException(
                Code.IDEMPOTENCY_CONFLICT,
                "A request with this Idempotency-Key is still in progress");
    }

    @Override
    public void complete(String connectionId, String key, StoredResponse response) {
        keys.complete(
                connectionId, key, response.status(), response.body(), response.location(), now());
    }

    @Override
    public void abandon(String connectionId, String key) {
        keys.deletePending(connectionId, key);
    }

    /** Deletes keys older than the retention (housekeeping). */
    int purgeExpired() {
        return keys.purgeCreatedBefore(now().minus(RETENTION));
    }
}
