package org.ironbridge.console.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /docs/}: a browsable rendering of {@code /openapi.json} with Swagger UI (the
 * swagger-ui webjar, embedded in this bundle).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/docs", "/docs/*"})
public final class DocsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES =
            Map.of(
                    "/", "/web/docs.html",
                    "/docs-init.js", "/web/docs-init.js",
                    "/swagger-ui-bundle.js", "swagger-ui-bundle.js",
                    "/swagger-ui.css", "swagger-ui.css",
                    "/favicon-32x32.png", "favicon-32x32.png");
    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "png", "image/png");

    private final String webjar;

    @Activate
    public DocsServlet(BundleContext ctx) {
        this.webjar =
                "/META-INF/resources/webjars/swagger-ui/"
                        + ctx.getBundle().getHeaders().get("Swagger-UI-Version")
                        + "/";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            res.sendRedirect(req.getContextPath() + "/docs/");
            return;
        }
        String resource = FILES.get(path);
        if (resource == null) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (!resource.startsWith("/")) {
            resource = webjar + resource;
        }
        try (InputStream in = DocsServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                res.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            res.setContentType(
                    TYPES.get(
                            path.equals("/") ? "html" : path.substring(path.lastIndexOf('.') + 1)));
            res.setHeader("Cache-Control", path.equals("/") ? "no-cache" : "max-age=86400");
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setHeader(
                    "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                            + " script-src 'self'; frame-ancestors 'none'");
            in.transferTo(res.getOutputStream());
        }
    }
}
