package org.ironbridge.engine;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Logins of the web console: console users (an email and a password per organization, hashed with a
 * slow salted hash) and server-side console sessions identified by a random token that the browser
 * keeps in a cookie. A session belongs to one organization and sees what an admin API key of that
 * organization sees.
 *
 * <p>Failed logins are throttled per email and per client address: after too many within the
 * window, logins from there answer {@link EngineException.Code#RATE_LIMITED} with a retry-after.
 * Wrong credentials are always {@link EngineException.Code#TOKEN_INVALID} with the same message,
 * whatever part was wrong.
 */
@ProviderType
public interface ConsoleService {

    /**
     * Opens a session with an admin API key.
     *
     * @param clientAddress the client's IP address, for throttling; may be null
     * @throws EngineException {@code TOKEN_INVALID} for an unknown or revoked key, {@code
     *     RATE_LIMITED} after too many failures
     */
    ConsoleLogin logInWithAdminKey(String adminKey, String clientAddress) throws EngineException;

    /**
     * Opens a session as a console user.
     *
     * @param organizationId the organization of the user, or null: then any organization's user
     *     with this email and password (the oldest if several match)
     * @param clientAddress the client's IP address, for throttling; may be null
     * @throws EngineException {@code TOKEN_INVALID} for wrong credentials (spending the same time
     *     for an unknown email as for a wrong password), {@code RATE_LIMITED} after too many
     *     failures
     */
    ConsoleLogin logInWithPassword(
            String email, String password, String organizationId, String clientAddress)
            throws EngineException;

    /**
     * The live session of a token, its idle timeout renewed; empty for an unknown, ended or expired
     * token (or one whose user or admin key is gone).
     */
    Optional<ConsoleSession> session(String token);

    /**
     * Ends the session of a token (logout).
     *
     * @return false when there was no such session
     */
    boolean logOut(String token);

    /**
     * Creates a console user.
     *
     * @throws EngineException {@code VALIDATION_FAILED} for an invalid email or a password of fewer
     *     than 12 characters, {@code CONFLICT} when the organization has a user with this email
     *     already
     */
    ConsoleUser createUser(String organizationId, String email, String password)
            throws EngineException;

    /** The organization's console users, oldest first. */
    List<ConsoleUser> users(String organizationId);

    /**
     * Deletes a console user and ends its sessions.
     *
     * @throws EngineException {@code NOT_FOUND} when the organization has no such user
     */
    void deleteUser(String organizationId, String userId) throws EngineException;
}
