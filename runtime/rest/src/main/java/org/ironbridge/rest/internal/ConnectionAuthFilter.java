package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Tokens;

/**
 * Authenticates connection tokens and puts the connection on the request. A connection whose source
 * rejected the stored credentials answers every data API call with 401 {@code
 * reauthorization_required} (its stored data is kept for when it is reconnected), except {@code GET
 * /v1/connection}, which tells the client its status and why.
 */
@DataApi
@Priority(Priorities.AUTHENTICATION)
public final class ConnectionAuthFilter implements ContainerRequestFilter {
    static final String CONNECTION = "ironbridge.connection";
    private static final String REAUTHORIZATION_REQUIRED = "reauthorization_required";

    /** The literal endpoints beside /v1/{collection}, with the methods they allow. */
    private static final java.util.Map<String, String> FIXED_ENDPOINTS =
            java.util.Map.of(
                    "connection", "GET",
                    "capabilities", "GET",
                    "schemas", "GET",
                    "passthrough", "POST");

    private final Services services;

    public ConnectionAuthFilter(Services services) {
        this.services = services;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        // /v1/{collection} also matches paths like /v1/nonsense: answer those with 404 before
        // asking for a token.
        String collection = req.getUriInfo().getPathParameters().getFirst("collection");
        if (collection != null && !req.getUriInfo().getPath().startsWith("v1/schemas")) {
            String allowed = FIXED_ENDPOINTS.get(collection);
            if (allowed != null) {
                // Jersey falls back to /v1/{collection} when a fixed endpoint lacks the method
                throw new jakarta.ws.rs.NotAllowedException(allowed);
            }
            Params.collection(collection);
        }
        String token = Bearer.token(req);
        if (!Tokens.looksLike(token, Tokens.CONNECTION_TOKEN)) {
            throw new ApiException(
                    ErrorCode.TOKEN_INVALID,
                    "The unified data API needs a connection token (ibt_…); this is not one.");
        }
        try {
            ConnectionView c = services.require(services.connections).authenticate(token);
            if (REAUTHORIZATION_REQUIRED.equals(c.status())
                    && !req.getUriInfo().getPath().equals("v1/connection")) {
                throw new ApiException(
                        ErrorCode.REAUTHORIZATION_REQUIRED,
                        "The source system rejected the stored credentials"
                                + (c.statusReason() == null ? "" : " (" + c.statusReason() + ")")
                                + ". Reconnect this connection.");
            }
            req.setProperty(CONNECTION, c);
        } catch (EngineException e) {
            throw new ApiException(ErrorCode.valueOf(e.code().name()), e.getMessage());
        }
    }

    static ConnectionView connection(ContainerRequestContext req) {
        return (ConnectionView) req.getProperty(CONNECTION);
    }
}
