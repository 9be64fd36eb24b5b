/**
 * The connector SPI: what a connector bundle implements so that Ironbridge can read and write one
 * external system.
 *
 * <p>A connector bundle registers exactly one {@link org.ironbridge.api.connector.ConnectorFactory}
 * service. The runtime tracks factories dynamically, asks each for its {@link
 * org.ironbridge.api.connector.ConnectorDescriptor} (data, never code), and opens one {@link
 * org.ironbridge.api.connector.ConnectorSession} per connection. The runtime owns threads,
 * scheduling, retries, backoff, rate limits, cursors and persistence; a connector only translates
 * between the source's API and the canonical model, and reports failures as typed {@link
 * org.ironbridge.api.connector.ConnectorException}s.
 */
@Export
@Version("1.2.0")
package org.ironbridge.api.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
