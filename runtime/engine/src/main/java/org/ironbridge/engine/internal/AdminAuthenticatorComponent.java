package org.ironbridge.engine.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.OrganizationRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Looks admin keys up by hash, with a short-lived cache so that the admin API does not hit the
 * database for every request. A revoked key stops working within {@link #TTL_NANOS}; an unknown key
 * is remembered only {@link #UNKNOWN_TTL_NANOS}, so a key created meanwhile (by another node's
 * bootstrap, say) is accepted at once.
 *
 * <p>It starts only once {@link BootstrapComponent} has created the default organization, so the
 * server is not ready ({@code /health/ready} waits for this service) before its first admin key
 * works.
 */
@Component(service = AdminAuthenticator.class)
public final class AdminAuthenticatorComponent implements AdminAuthenticator {
    static final long TTL_NANOS = 10_000_000_000L;
    static final long UNKNOWN_TTL_NANOS = 1_000_000_000L;

    private record Entry(Optional<String> org, long expires) {}

    private final OrganizationRepository orgs;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    @Activate
    public AdminAuthenticatorComponent(
            @Reference DataSource ds, @Reference BootstrapComponent bootstrapped) {
        this.orgs = new OrganizationRepository(ds);
    }

    @Override
    public Optional<String> organizationOf(String key) {
        String hash = Tokens.hash(key);
        long now = System.nanoTime();
        Entry e = cache.get(hash);
        if (e != null && now - e.expires < 0) {
            return e.org;
        }
        Optional<String> org = orgs.organizationOfAdminKey(hash);
        if (cache.size() > 10_000) {
            cache.clear(); // unknown keys must not grow the cache without bound
        }
        cache.put(hash, new Entry(org, now + (org.isPresent() ? TTL_NANOS : UNKNOWN_TTL_NANOS)));
        return org;
    }
}
