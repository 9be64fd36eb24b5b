/**
 * Persistence services of the runtime: the {@link org.ironbridge.store.Database} and repositories.
 * Used by the other runtime bundles only; not a public API (hence version 0.x).
 */
@Export
@Version("0.2.0")
package org.ironbridge.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
