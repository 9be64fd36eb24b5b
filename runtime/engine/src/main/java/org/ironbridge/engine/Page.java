package org.ironbridge.engine;

import java.util.List;

/** A page of results and the opaque cursor of the next page (null on the last page). */
public record Page<T>(List<T> data, String nextCursor) {}
