package org.ironbridge.rest.internal;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey's servlet with the thread context class loader set to Jersey's own, so that JAX-RS finds
 * its {@code RuntimeDelegate} inside OSGi (STACK.md trap 4).
 */
final class JerseyServlet extends ServletContainer {
    private static final long serialVersionUID = 1L;

    /** jersey-server's loader: it sees META-INF/services/jakarta.ws.rs.ext.RuntimeDelegate. */
    private static final ClassLoader JERSEY = ResourceConfig.class.getClassLoader();

    JerseyServlet(ResourceConfig config) {
        super(config);
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
