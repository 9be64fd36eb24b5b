/**
 * The canonical data model of Ironbridge: one set of entity types, field names and normalized
 * statuses shared by every connector, whatever the system behind it.
 */
@Export
@Version("1.0.0")
package org.ironbridge.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
