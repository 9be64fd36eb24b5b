package org.ironbridge.api.connector;

/** An operation a connector may support on an entity type. */
public enum Operation {
    LIST,
    GET,
    CREATE,
    UPDATE,
    DELETE
}
