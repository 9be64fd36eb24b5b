package org.ironbridge.api.connector;

/** Where the source system runs relative to Ironbridge. */
public enum Deployment {
    /** Reachable from the Ironbridge server over the internet. */
    CLOUD("cloud"),
    /** Behind a customer's firewall, reached through an on-prem agent. */
    ON_PREM("on_prem");

    private final String wireName;

    Deployment(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the HTTP API: {@code cloud} or {@code on_prem}. */
    public String wireName() {
        return wireName;
    }

    /** The deployment with the given API name, or null. */
    public static Deployment ofWireName(String name) {
        for (Deployment d : values()) {
            if (d.wireName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
