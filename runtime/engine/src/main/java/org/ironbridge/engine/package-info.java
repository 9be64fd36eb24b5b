/**
 * Services of the engine used by the HTTP layer: authentication of tokens, organizations,
 * connections. Internal to the runtime (version 0.x).
 */
@Export
@Version("0.3.0")
package org.ironbridge.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
