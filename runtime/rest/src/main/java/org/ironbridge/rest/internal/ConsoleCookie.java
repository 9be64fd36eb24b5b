package org.ironbridge.rest.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ironbridge.engine.ConsoleSession;

/**
 * The web console's session cookie and its CSRF protection.
 *
 * <p>The cookie {@value #NAME} holds the session token ({@code ibc_…}); it is {@code HttpOnly} (no
 * script reads it), {@code SameSite=Strict} (no other site's page sends it) and {@code Secure} when
 * the request came over HTTPS. On top of that, every unsafe request authenticated by the cookie
 * must carry the session's CSRF token in {@value #CSRF_HEADER} (the synchronizer token pattern): a
 * page of another origin can neither read that token nor set the header without CORS, which this
 * server never allows.
 */
final class ConsoleCookie {
    /** The session cookie. */
    static final String NAME = "ironbridge_session";

    /** The header with the session's CSRF token on unsafe requests. */
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** The request property with the {@link ConsoleSession} of a cookie-authenticated request. */
    static final String SESSION = "ironbridge.consoleSession";

    /** The request property (a servlet attribute set by {@link JerseyServlet}): the peer's IP. */
    static final String CLIENT_ADDRESS = "ironbridge.clientAddress";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ConsoleCookie() {}

    /** The session token of the request's cookie, if it has one. */
    static Optional<String> token(ContainerRequestContext req) {
        Cookie c = req.getCookies().get(NAME);
        return c == null || c.getValue() == null || c.getValue().isEmpty()
                ? Optional.empty()
                : Optional.of(c.getValue());
    }

    /**
     * Authenticates the request by its session cookie: the live session, after checking the CSRF
     * token of unsafe methods.
     *
     * @throws ApiException {@code token_invalid} for an ended or expired session, {@code
     *     csrf_token_invalid} for an unsafe request without the session's CSRF token
     */
    static ConsoleSession authenticate(
            ContainerRequestContext req, String token, Services services) {
        ConsoleSession session =
                services.require(services.console)
                        .session(token)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                ErrorCode.TOKEN_INVALID,
                                                "The console session has ended or expired; log in"
                                                        + " again (POST /v1/console/session)."));
        checkCsrf(req, session);
        req.setProperty(SESSION, session);
        return session;
    }

    /** For unsafe methods: the {@value #CSRF_HEADER} header must equal the session's token. */
    static void checkCsrf(ContainerRequestContext req, ConsoleSession session) {
        if (SAFE_METHODS.contains(req.getMethod())) {
            return;
        }
        String sent = req.getHeaderString(CSRF_HEADER);
        if (sent == null || sent.isEmpty()) {
            throw new ApiException(
                    ErrorCode.CSRF_TOKEN_INVALID,
                    "A "
                            + req.getMethod()
                            + " with the console session cookie needs the session's CSRF token in"
                            + " the X-CSRF-Token header (see the login response or GET"
                            + " /v1/console/session).");
        }
        if (!MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    ErrorCode.CSRF_TOKEN_INVALID,
                    "The X-CSRF-Token header is not this session's CSRF token (see GET"
                            + " /v1/console/session).");
        }
    }

    /** The {@code Set-Cookie} value that gives the browser a session token. */
    static String set(ContainerRequestContext req, String token) {
        // no Max-Age: the cookie lives as long as the browser session; the server ends the
        // session after its idle timeout or lifetime anyway
        return NAME + "=" + token + attributes(req);
    }

    /** The {@code Set-Cookie} value that removes the cookie from the browser. */
    static String clear(ContainerRequestContext req) {
        return NAME + "=; Max-Age=0" + attributes(req);
    }

    private static String attributes(ContainerRequestContext req) {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure(req) ? "; Secure" : "");
    }

    /**
     * Whether the request came over HTTPS: its own scheme, or {@code X-Forwarded-Proto: https} from
     * a TLS-terminating proxy in front of the server.
     */
    static boolean secure(ContainerRequestContext req) {
        String forwarded = req.getHeaderString("X-Forwarded-Proto");
        if (forwarded != null) {
            String first = forwarded.split(",", 2)[0].trim();
            if (first.equalsIgnoreCase("https")) {
                return true;
            }
        }
        return "https".equalsIgnoreCase(req.getUriInfo().getRequestUri().getScheme());
    }

    /**
     * The client's IP address, for throttling failed logins: the peer's address, or, when the peer
     * is a proxy on this host or the private network (loopback, site-local, link-local, unique
     * local), the last address of its {@code X-Forwarded-For} (the one that proxy added). Null when
     * unknown.
     */
    static String clientAddress(ContainerRequestContext req) {
        Object peer = req.getProperty(CLIENT_ADDRESS);
        String remote = peer instanceof String s && !s.isBlank() ? s : null;
        String forwarded = req.getHeaderString("X-Forwarded-For");
        if (forwarded != null && (remote == null || isProxy(remote))) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (IP_LITERAL.matcher(last).matches()) {
                return last;
            }
        }
        return remote;
    }

    private static boolean isProxy(String address) {
        if (!IP_LITERAL.matcher(address).matches()) {
            return false; // never a DNS lookup
        }
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress()
                    || a.isSiteLocalAddress()
                    || a.isLinkLocalAddress()
                    || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
