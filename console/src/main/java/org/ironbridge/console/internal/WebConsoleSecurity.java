package org.ironbridge.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.Tokens;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Guards the Felix Web Console ({@code /system/console}) with the admin API keys: HTTP Basic, any
 * user name, the admin key as password. The framework property {@code
 * felix.webconsole.security.providers=ironbridge} makes the Web Console refuse every request until
 * this provider is registered, so its built-in admin/admin never applies.
 */
@Component(property = SecurityProvider.PROPERTY_ID + "=ironbridge")
public final class WebConsoleSecurity implements SecurityProvider {
    private final AdminAuthenticator auth;

    @Activate
    public WebConsoleSecurity(@Reference AdminAuthenticator auth) {
        this.auth = auth;
    }

    @Override
    public Object authenticate(HttpServletRequest req, HttpServletResponse res) {
        String h = req.getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(
                                Base64.getDecoder().decode(h.substring(6).trim()),
                                StandardCharsets.UTF_8);
                String key = decoded.substring(decoded.indexOf(':') + 1);
                if (Tokens.looksLike(key, Tokens.ADMIN_KEY)) {
                    Optional<String> org = auth.organizationOf(key);
                    if (org.isPresent()) {
                        return org.get();
                    }
                }
            } catch (IllegalArgumentException malformed) {
                // fall through to the challenge
            }
        }
        res.setHeader(
                "WWW-Authenticate",
                "Basic realm=\"Ironbridge OSGi console (password: an admin API key)\", charset=\"UTF-8\"");
        res.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest req, HttpServletResponse res) {
        // HTTP Basic has no server-side session to end
    }
}
