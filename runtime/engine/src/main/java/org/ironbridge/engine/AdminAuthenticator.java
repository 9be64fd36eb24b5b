package org.ironbridge.engine;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Resolves admin API keys to the organization they belong to. */
@ProviderType
public interface AdminAuthenticator {

    /**
     * The organization id of an admin API key.
     *
     * @param key the bearer token as sent (already checked to start with {@code ibk_})
     * @return empty when no unrevoked key matches
     */
    Optional<String> organizationOf(String key);
}
