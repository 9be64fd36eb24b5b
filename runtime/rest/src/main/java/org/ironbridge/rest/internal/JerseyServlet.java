package org.ironbridge.rest.internal;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey's servlet with the thread context class loader set to Jersey's own, so that JAX-RS finds
 * its {@code RuntimeDelegate} inside OSGi (STACK.md trap 4). Successful single-record reads take
 * the {@link RecordReadFastPath} around Jersey.
 */
final class JerseyServlet extends ServletContainer {
    private static final long serialVersionUID = 1L;

    /** jersey-server's loader: it sees META-INF/services/jakarta.ws.rs.ext.RuntimeDelegate. */
    private static final ClassLoader JERSEY = ResourceConfig.class.getClassLoader();

    private final transient RecordReadFastPath fastPath;

    JerseyServlet(ResourceConfig config, RecordReadFastPath fastPath) {
        super(config);
        this.fastPath = fastPath;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(JERSEY);
        try {
            super.init(config);
        } finally {
            t.setContextClassLoader(old);
        }
    }

    @Override
    public void service(ServletRequest req, ServletResponse res)
            throws ServletException, IOException {
        if (fastPath != null
                && req instanceof HttpServletRequest hreq
                && res instanceof HttpServletResponse hres
                && fastPath.serve(hreq, hres)) {
            return;
        }
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(JERSEY);
        try {
            // Jersey exposes servlet request attributes as request properties
            req.setAttribute(ConsoleCookie.CLIENT_ADDRESS, req.getRemoteAddr());
            super.service(req, res);
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
