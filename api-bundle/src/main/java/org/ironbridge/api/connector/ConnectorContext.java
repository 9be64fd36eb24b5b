package org.ironbridge.api.connector;

import java.time.Clock;
import org.osgi.annotation.versioning.ProviderType;
import org.slf4j.Logger;

/**
 * What the runtime gives a session. Implemented by the runtime only.
 *
 * <p>Connectors must use {@link #http()} for every call to the source, so that outbound calls are
 * timed out, logged (with secrets redacted) and rate limited in one place, and {@link #clock()} for
 * every notion of "now", so that tests can control time.
 */
@ProviderType
public interface ConnectorContext {

    /** The Ironbridge id of the connection this session serves. */
    String connectionId();

    /** The HTTP client to use for every call to the source. */
    SourceHttpClient http();

    /** The clock to read the current time from. */
    Clock clock();

    /** A logger named after the connector and tagged with the connection id. */
    Logger logger();
}
