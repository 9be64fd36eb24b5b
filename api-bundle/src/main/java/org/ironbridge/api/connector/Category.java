package org.ironbridge.api.connector;

/** The kind of system a connector connects to. */
public enum Category {
    ERP,
    CMMS,
    EAM,
    WMS,
    /** A simulator for demos and tests. */
    SANDBOX
}
