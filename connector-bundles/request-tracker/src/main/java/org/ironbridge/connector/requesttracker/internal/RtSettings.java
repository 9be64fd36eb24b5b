package org.ironbridge.connector.requesttracker.internal;

/**
 * Where a connection's records live in RT.
 *
 * @param workOrderQueue the queue whose tickets are work orders
 * @param serviceRequestQueue the queue whose tickets are service requests
 * @param assetCatalog the only asset catalog to read, or null for every catalog
 */
record RtSettings(String workOrderQueue, String serviceRequestQueue, String assetCatalog) {}
