package org.ironbridge.rest.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * A trivial servlet at {@code /bench/ping} on the same Jetty, the baseline the benchmarks compare
 * the API against ({@code bench/data-api.sh}). Registered only when the framework property {@code
 * ironbridge.bench} is {@code true}.
 */
@Component(immediate = true)
public final class BenchServlet {
    private static final byte[] BODY = "{\"pong\":true}".getBytes(StandardCharsets.UTF_8);
    private final ServiceRegistration<Servlet> registration;

    @Activate
    public BenchServlet(BundleContext ctx) {
        if (!"true".equals(ctx.getProperty("ironbridge.bench"))) {
            registration = null;
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/bench/ping");
        registration =
                ctx.registerService(
                        Servlet.class,
                        new HttpServlet() {
                            private static final long serialVersionUID = 1L;

                            @Override
                            protected void doGet(HttpServletRequest req, HttpServletResponse res)
                                    throws IOException {
                                res.setContentType("application/json");
                                res.setContentLength(BODY.length);
                                res.getOutputStream().write(BODY);
                            }
                        },
                        props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
        }
    }
}
