package org.ironbridge.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The embeddable connect flow. An organization opens a short-lived session for one of its customers
 * ({@link #create}); the customer's browser, holding the session token ({@code ibs_…}), lists the
 * systems it may connect ({@link #systems}) and connects one ({@link #connect}), which spends the
 * session and yields a one-time code; the organization exchanges that code for the new connection's
 * token ({@link #exchange}). The connection token exists only in the answer to the exchange.
 *
 * @since 0.2
 */
@ProviderType
public interface ConnectSessionService {

    /** How long a session lasts unless configured otherwise: 30 minutes. */
    Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);

    /** How long a one-time code can be exchanged after the connection was created: 10 minutes. */
    Duration CODE_TTL = Duration.ofMinutes(10);

    /**
     * Opens a session.
     *
     * @throws EngineException {@code VALIDATION_FAILED}: {@code customer_id} missing or longer than
     *     200 characters, {@code systems[i]} not an installed connector or {@code systems} empty,
     *     {@code redirect_url} not an absolute http(s) URL
     */
    CreatedConnectSession create(String organizationId, NewConnectSession request)
            throws EngineException;

    /**
     * The session of a token in whatever state it is (open, completed or expired), for pages that
     * explain why a link no longer works. Empty for a malformed or unknown token.
     */
    Optional<ConnectSessionView> find(String token);

    /**
     * The open session of a token: what {@code /v1/connect/**} requests authenticate with.
     *
     * @throws EngineException {@code TOKEN_INVALID} for a malformed, unknown, expired or spent
     *     (completed) session token
     */
    ConnectSessionView authenticate(String token) throws EngineException;

    /**
     * The connectors the session offers that are installed now and can be connected as cloud
     * connections, ordered by system id.
     */
    List<InstalledConnector> systems(ConnectSessionView session);

    /**
     * Connects a system in an open session, with the same checks and failures as {@link
     * ConnectionService#create} (credentials verified live, credits, validation against the
     * connector's descriptor). On success the session is spent and a one-time code issued.
     *
     * @throws EngineException {@code TOKEN_INVALID} (as {@link #authenticate}), {@code
     *     VALIDATION_FAILED} (also for a system the session does not offer, field {@code system}),
     *     {@code CONFLICT} while another attempt in the same session is verifying its credentials,
     *     and whatever {@link ConnectionService#create} throws
     */
    ConnectResult connect(String token, String system, Map<String, String> credentials)
            throws EngineException;

    /**
     * Exchanges the one-time code of a completed session for its connection and a new connection
     * token (the only one that works for that connection). A code can be exchanged once, within
     * {@link #CODE_TTL}.
     *
     * @param sessionToken the session's token ({@code ibs_…}), expired or not
     * @throws EngineException {@code NOT_FOUND} when the organization has no session with that
     *     token; {@code VALIDATION_FAILED} (field {@code code}) when the code is missing, wrong,
     *     expired or already exchanged, or no connection was created in the session yet
     */
    CreatedConnection exchange(String organizationId, String sessionToken, String code)
            throws EngineException;
}
