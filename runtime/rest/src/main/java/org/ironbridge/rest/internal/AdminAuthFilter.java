package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.Optional;
import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.Tokens;

/**
 * Authenticates admin API keys and puts the organization id on the request. Without an {@code
 * Authorization} header, the web console's session cookie authenticates instead, for the same
 * organization, with a CSRF token required on unsafe methods ({@link ConsoleCookie}).
 */
@AdminApi
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {
    static final String ORGANIZATION = "ironbridge.organizationId";

    private final Services services;

    public AdminAuthFilter(Services services) {
        this.services = services;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        if (req.getHeaderString(jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION) == null) {
            Optional<String> session = ConsoleCookie.token(req);
            if (session.isPresent()) {
                req.setProperty(
                        ORGANIZATION,
                        ConsoleCookie.authenticate(req, session.get(), services).organizationId());
                return;
            }
        }
        String token = Bearer.token(req);
        if (!Tokens.looksLike(token, Tokens.ADMIN_KEY)) {
            throw new ApiException(
                    ErrorCode.TOKEN_INVALID,
                    "The admin API needs an admin API key (ibk_…); this is not one.");
        }
        AdminAuthenticator auth = services.require(services.adminAuthenticator);
        Optional<String> org = auth.organizationOf(token);
        if (org.isEmpty()) {
            throw new ApiException(
                    ErrorCode.TOKEN_INVALID, "The admin API key is unknown or revoked.");
        }
        req.setProperty(ORGANIZATION, org.get());
    }

    /** The organization of the authenticated admin key. */
    static String organization(ContainerRequestContext req) {
        return (String) req.getProperty(ORGANIZATION);
    }
}
