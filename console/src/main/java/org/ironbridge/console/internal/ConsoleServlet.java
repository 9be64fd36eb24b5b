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
 * Serves the console's static files from this bundle at {@code /console/}. The console is a
 * single-page app that talks only to the admin API, so this servlet knows nothing but files: its
 * own under {@code web/}, and Chart.js ({@code lib/chart.umd.min.js}) from the webjar embedded at
 * build time (version in the bundle header {@code Chart-js-Version}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/console", "/console/*"})
public final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "svg", "image/svg+xml",
                    "png", "image/png",
                    "ico", "image/x-icon");

    private final String chartJs;

    @Activate
    public ConsoleServlet(BundleContext ctx) {
        this.chartJs =
                "/META-INF/resources/webjars/chart.js/"
                        + ctx.getBundle().getHeaders().get("Chart-js-Version")
                        + "/dist/chart.umd.min.js";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            res.sendRedirect(req.getContextPath() + "/console/");
            return;
        }
        if (path.equals("/") || path.isEmpty()) {
            path = "/index.html";
        }
        if (path.contains("..") || !path.matches("/[A-Za-z0-9._/-]+")) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        String resource = path.equals("/lib/chart.umd.min.js") ? chartJs : "/web" + path;
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(resource)) {
            if (in == null || type == null) {
                res.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            res.setContentType(type);
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setHeader("X-Frame-Options", "DENY");
            res.setHeader(
                    "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                            + " frame-ancestors 'none'");
            in.transferTo(res.getOutputStream());
        }
    }
}
