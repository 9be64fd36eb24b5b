package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import org.ironbridge.engine.ConnectSessionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Tokens;

/**
 * Authenticates connect-session tokens on {@code /v1/connect/**} and puts the session on the
 * request. Any other kind of token, and an unknown, expired or spent session, is 401 {@code
 * token_invalid}.
 */
@ConnectApi
@Priority(Priorities.AUTHENTICATION)
public final class ConnectAuthFilter implements ContainerRequestFilter {
    static final String SESSION = "ironbridge.connectSession";
    static final String TOKEN = "ironbridge.connectSessionToken";

    private final Services services;

    public ConnectAuthFilter(Services services) {
        this.services = services;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        String token = Bearer.token(req);
        if (!Tokens.looksLike(token, Tokens.CONNECT_SESSION)) {
            throw new ApiException(
                    ErrorCode.TOKEN_INVALID,
                    "The connect API needs a connect-session token (ibs_…); this is not one.");
        }
        try {
            ConnectSessionView s = services.require(services.connectSessions).authenticate(token);
            req.setProperty(SESSION, s);
            req.setProperty(TOKEN, token);
        } catch (EngineException e) {
            throw new ApiException(ErrorCode.valueOf(e.code().name()), e.getMessage());
        }
    }

    static ConnectSessionView session(ContainerRequestContext req) {
        return (ConnectSessionView) req.getProperty(SESSION);
    }

    static String token(ContainerRequestContext req) {
        return (String) req.getProperty(TOKEN);
    }
}
