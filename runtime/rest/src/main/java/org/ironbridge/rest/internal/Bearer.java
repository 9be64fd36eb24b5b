package org.ironbridge.rest.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

/** Reads the bearer token of a request. */
final class Bearer {
    private Bearer() {}

    /**
     * The token of {@code Authorization: Bearer <token>}.
     *
     * @throws ApiException {@code token_missing} when there is no such header or it is not a bearer
     *     token
     */
    static String token(ContainerRequestContext req) {
        String h = req.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(
                    ErrorCode.TOKEN_MISSING,
                    "Send a token in the Authorization header: 'Authorization: Bearer <token>'.");
        }
        String token = h.substring(7).trim();
        if (token.isEmpty()) {
            throw new ApiException(ErrorCode.TOKEN_MISSING, "The bearer token is empty.");
        }
        return token;
    }
}
