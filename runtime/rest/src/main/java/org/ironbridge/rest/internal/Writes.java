package org.ironbridge.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.IdempotencyService.StoredResponse;
import org.ironbridge.engine.Tokens;

/**
 * Runs a write under an {@code Idempotency-Key}: a repeat with the same key and the same request
 * gets the first response (marked {@code Idempotent-Replayed: true}) without calling the source
 * again.
 */
final class Writes {
    static final String REPLAYED = "Idempotent-Replayed";
    private static final ObjectMapper JSON = Json.mapper();

    /** A write that produces a response. */
    interface Write {
        Response run() throws EngineException;
    }

    private final Services services;

    Writes(Services services) {
        this.services = services;
    }

    Response idempotent(ConnectionView c, String key, String request, JsonNode body, Write write)
            throws EngineException {
        if (key == null) {
            return write.run();
        }
        if (key.isEmpty() || key.length() > 255) {
            throw Params.invalid("Idempotency-Key", "must be 1 to 255 characters");
        }
        IdempotencyService idem = services.require(services.idempotency);
        String fingerprint = Tokens.hash(request + "\n" + body);
        Optional<StoredResponse> stored = idem.begin(c.id(), key, fingerprint);
        if (stored.isPresent()) {
            StoredResponse s = stored.get();
            Response.ResponseBuilder b =
                    Response.status(s.status())
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(s.body())
                            .header(REPLAYED, "true");
            if (s.location() != null) {
                b.location(URI.create(s.location()));
            }
            return b.build();
        }
        Response response;
        try {
            response = write.run();
        } catch (EngineException | RuntimeException e) {
            idem.abandon(c.id(), key);
            throw e;
        }
        try {
            String location = response.getHeaderString(HttpHeaders.LOCATION);
            idem.complete(
                    c.id(),
                    key,
                    new StoredResponse(
                            response.getStatus(),
                            JSON.writeValueAsString(response.getEntity()),
                            location == null ? null : URI.create(location).getPath()));
        } catch (JsonProcessingException e) {
            idem.abandon(c.id(), key);
        }
        return response;
    }
}
