/**
 * The runtime's Micrometer registry: {@link org.ironbridge.metrics.Metrics#registry()}. Other
 * bundles record into it with the Micrometer API, which this bundle exports (Micrometer's own
 * package versions); everything registered shows at {@code GET /metrics} in Prometheus format.
 */
@Export
@Version("1.0.0")
package org.ironbridge.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
