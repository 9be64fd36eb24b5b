package org.ironbridge.engine;

/** A new connection and its token, which is shown this once and stored only as a hash. */
public record CreatedConnection(ConnectionView connection, String token) {}
