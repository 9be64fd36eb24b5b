package org.ironbridge.engine.internal;

import java.time.Clock;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.SourceHttpClient;
import org.slf4j.Logger;

/** What the runtime gives a session. */
record RuntimeConnectorContext(
        String connectionId, SourceHttpClient http, Clock clock, Logger logger)
        implements ConnectorContext {}
