package org.ironbridge.console.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectSessionView;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddable connect page: {@code GET /connect/{token}} serves the page of an open connect
 * session, {@code /connect/connect.js} and {@code /connect/connect.css} its files. A link that is
 * unknown, expired or already used gets a friendly page saying so (404 or 410), never an error
 * document. The page itself talks to {@code /v1/connect/**} with the token from its URL.
 *
 * <p>The page is made to be framed by the organization's own product on another origin: it sends no
 * {@code X-Frame-Options}, and its {@code Content-Security-Policy} allows every origin to frame it
 * ({@code frame-ancestors *}) unless the framework property {@code
 * ironbridge.connect.frame_ancestors} names the allowed sources (e.g. {@code
 * https://app.example.com https://*.example.org}). Everything else is locked down to this server:
 * no inline script or style, no third-party resources, no referrer (the token is in the URL).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/connect", "/connect/*"})
public final class ConnectServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectServlet.class);

    static final String FRAME_ANCESTORS_PROPERTY = "ironbridge.connect.frame_ancestors";

    /** A session token as issued: the prefix and base62 characters. */
    private static final Pattern TOKEN = Pattern.compile("/ibs_[0-9A-Za-z]{16,128}");

    /** CSP source expressions: hosts, schemes, wildcards, ports, paths and quoted keywords. */
    private static final Pattern SOURCE_LIST = Pattern.compile("[A-Za-z0-9*:/._'\\- ]{1,1000}");

    private static final Map<String, String> FILES =
            Map.of(
                    "/connect.js", "text/javascript; charset=utf-8",
                    "/connect.css", "text/css; charset=utf-8");

    /** The friendly pages for links that no longer work: status, title, text. */
    private enum Gone {
        UNKNOWN(
                HttpServletResponse.SC_NOT_FOUND,
                "This link is not valid",
                "Check that you copied the whole link, or ask the company that sent it to you"
                        + " for a new one."),
        EXPIRED(
                HttpServletResponse.SC_GONE,
                "This link has expired",
                "Links to connect a system work for a limited time. Ask the company that sent it"
                        + " to you for a new one."),
        USED(
                HttpServletResponse.SC_GONE,
                "This link was already used",
                "A system was already connected with this link, so there is nothing more to do"
                        + " here. If you need to connect another system, ask for a new link.");

        final int status;
        final String title;
        final String text;

        Gone(int status, String title, String text) {
            this.status = status;
            this.title = title;
            this.text = text;
        }
    }

    private final String csp;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectSessionService sessions;

    @Activate
    public ConnectServlet(BundleContext ctx) {
        this.csp = contentSecurityPolicy(ctx.getProperty(FRAME_ANCESTORS_PROPERTY));
    }

    /** The page's policy, with the configured frame ancestors ({@code *} when not set). */
    static String contentSecurityPolicy(String frameAncestors) {
        String ancestors = frameAncestors == null ? "" : frameAncestors.trim();
        if (ancestors.isEmpty()) {
            ancestors = "*";
        } else if (!SOURCE_LIST.matcher(ancestors).matches()) {
            LOG.warn(
                    "Ignoring {}={}: not a list of CSP sources; the connect page can only be"
                            + " framed by this server",
                    FRAME_ANCESTORS_PROPERTY,
                    ancestors);
            ancestors = "'self'";
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
                + ancestors;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo();
        securityHeaders(res);
        if (path != null && FILES.containsKey(path)) {
            file(res, path.substring(1), FILES.get(path));
            return;
        }
        if (path == null || !TOKEN.matcher(path).matches()) {
            gone(res, Gone.UNKNOWN);
            return;
        }
        ConnectSessionService service = sessions;
        if (service != null) {
            // without the service (the server is starting, or its database is away) the page
            // loads and explains what its API answers
            Optional<ConnectSessionView> session = service.find(path.substring(1));
            if (session.isEmpty()) {
                gone(res, Gone.UNKNOWN);
                return;
            }
            switch (session.get().status()) {
                case ConnectSessionView.EXPIRED -> {
                    gone(res, Gone.EXPIRED);
                    return;
                }
                case ConnectSessionView.COMPLETED -> {
                    gone(res, Gone.USED);
                    return;
                }
                default -> {
                    // open: the page
                }
            }
        }
        file(res, "connect.html", "text/html; charset=utf-8");
    }

    private void securityHeaders(HttpServletResponse res) {
        res.setHeader("Content-Security-Policy", csp);
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-store");
    }

    private static void file(HttpServletResponse res, String name, String type) throws IOException {
        try (InputStream in = ConnectServlet.class.getResourceAsStream("/web/connect/" + name)) {
            if (in == null) {
                res.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            res.setContentType(type);
            in.transferTo(res.getOutputStream());
        }
    }

    /** A friendly page; its texts are constants, nothing from the request is echoed. */
    private static void gone(HttpServletResponse res, Gone why) throws IOException {
        String page;
        try (InputStream in = ConnectServlet.class.getResourceAsStream("/web/connect/gone.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        page = page.replace("{{title}}", why.title).replace("{{text}}", why.text);
        res.setStatus(why.status);
        res.setContentType("text/html; charset=utf-8");
        res.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
    }
}
