package org.ironbridge.model;

import java.util.Optional;

/**
 * The canonical entity types. Each has the collection name used in URLs ({@code
 * /v1/purchase-orders}) and a short prefix for the stable Ironbridge ids of its records ({@code
 * po_…}).
 *
 * <p>New entity types are added at the end; their collection names and prefixes never change once
 * released.
 */
public enum EntityType {
    VENDORS("vendors", "vendor", "ven"),
    ITEMS("items", "item", "itm"),
    STOCK_LEVELS("stock-levels", "stock_level", "stk"),
    LOCATIONS("locations", "location", "loc"),
    ASSETS("assets", "asset", "ast"),
    WORK_ORDERS("work-orders", "work_order", "wo"),
    SERVICE_REQUESTS("service-requests", "service_request", "sr"),
    PURCHASE_ORDERS("purchase-orders", "purchase_order", "po");

    private final String collection;
    private final String singular;
    private final String idPrefix;

    EntityType(String collection, String singular, String idPrefix) {
        this.collection = collection;
        this.singular = singular;
        this.idPrefix = idPrefix;
    }

    /** The collection name used in URLs and capability maps, e.g. {@code purchase-orders}. */
    public String collection() {
        return collection;
    }

    /**
     * The snake_case singular name, e.g. {@code purchase_order}, used in webhook data and schema
     * titles.
     */
    public String singular() {
        return singular;
    }

    /** The prefix of Ironbridge ids of this type's records, e.g. {@code po}. */
    public String idPrefix() {
        return idPrefix;
    }

    /** Finds the entity type with the given collection name. */
    public static Optional<EntityType> ofCollection(String collection) {
        for (EntityType t : values()) {
            if (t.collection.equals(collection)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
