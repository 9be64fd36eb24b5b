package org.ironbridge.rest.internal;

/**
 * A marker service, registered once {@code GET /health/ready} has first answered 200, or {@link
 * RestComponent#READY_FALLBACK_SECONDS} after Jersey initialized if nobody asked. The launcher
 * starts the bundles that getting ready does not need (the OSGi Web Console) only then, so that
 * they do not take CPU from what the first clients wait for.
 */
public interface ApiReady {}
