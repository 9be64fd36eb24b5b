package org.ironbridge.rest.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.ConsoleLogin;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.ConsoleSession;
import org.ironbridge.engine.EngineException;

/**
 * The web console's login: {@code POST /v1/console/session} opens a session with an admin API key
 * or a console user's email and password and sets the session cookie; {@code GET} shows the current
 * session (with its CSRF token, e.g. after a page reload); {@code DELETE} logs out. The cookie then
 * authenticates the admin API ({@link AdminAuthFilter}).
 */
@Path("/v1/console/session")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleSessionResource {
    private final Services services;

    public ConsoleSessionResource(Services services) {
        this.services = services;
    }

    /** The body of a login: {@code admin_key}, or {@code email} and {@code password}. */
    public record LoginRequest(
            String adminKey, String email, String password, String organizationId) {
        /** Without the secrets. */
        @Override
        public String toString() {
            return "LoginRequest[email=" + email + ", organizationId=" + organizationId + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response logIn(@Context ContainerRequest req, LoginRequest body) throws EngineException {
        LoginRequest b = body == null ? new LoginRequest(null, null, null, null) : body;
        validate(b);
        ConsoleService console = service();
        String address = ConsoleCookie.clientAddress(req);
        ConsoleLogin login =
                b.adminKey() != null
                        ? console.logInWithAdminKey(b.adminKey(), address)
                        : console.logInWithPassword(
                                b.email(), b.password(), b.organizationId(), address);
        // a browser that was logged in already: its old session ends
        ConsoleCookie.token(req).ifPresent(console::logOut);
        return noStore(Response.ok(session(login.session())))
                .header(HttpHeaders.SET_COOKIE, ConsoleCookie.set(req, login.token()))
                .build();
    }

    private static void validate(LoginRequest b) {
        List<Problem.FieldProblem> errors = new ArrayList<>();
        if (b.adminKey() != null) {
            for (String[] f :
                    new String[][] {
                        {"email", b.email()},
                        {"password", b.password()},
                        {"organization_id", b.organizationId()}
                    }) {
                if (f[1] != null) {
                    errors.add(new Problem.FieldProblem(f[0], "cannot be combined with admin_key"));
                }
            }
        } else if (b.email() == null && b.password() == null) {
            errors.add(
                    new Problem.FieldProblem(
                            "admin_key", "is required, or else email and password"));
        } else {
            if (b.email() == null) {
                errors.add(new Problem.FieldProblem("email", "is required"));
            }
            if (b.password() == null) {
                errors.add(new Problem.FieldProblem("password", "is required"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "Log in with admin_key, or with email and password.",
                    errors,
                    null);
        }
    }

    @GET
    public Response current(@Context ContainerRequest req) {
        String token =
                ConsoleCookie.token(req)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                ErrorCode.TOKEN_MISSING,
                                                "There is no console session cookie ("
                                                        + ConsoleCookie.NAME
                                                        + "); log in with POST"
                                                        + " /v1/console/session."));
        ConsoleSession s = ConsoleCookie.authenticate(req, token, services);
        return noStore(Response.ok(session(s))).build();
    }

    /** Logs out: ends the session and removes the cookie. Idempotent. */
    @DELETE
    public Response logOut(@Context ContainerRequest req) {
        Optional<String> token = ConsoleCookie.token(req);
        if (token.isPresent()) {
            ConsoleService console = service();
            Optional<ConsoleSession> s = console.session(token.get());
            if (s.isPresent()) {
                ConsoleCookie.checkCsrf(req, s.get());
                console.logOut(token.get());
            }
        }
        return noStore(Response.noContent())
                .header(HttpHeaders.SET_COOKIE, ConsoleCookie.clear(req))
                .build();
    }

    private ConsoleService service() {
        return services.require(services.console);
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder b) {
        return b.header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** What the console sees of its session. */
    static Map<String, Object> session(ConsoleSession s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organization_id", s.organizationId());
        out.put("user", s.user() == null ? null : ConsoleUsersResource.user(s.user()));
        out.put("csrf_token", s.csrfToken());
        out.put("expires_at", Representations.time(s.expiresAt()));
        return out;
    }
}
