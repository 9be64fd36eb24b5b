package org.ironbridge.connector.sandbox.internal;

import org.ironbridge.model.EntityType;

/**
 * How many base records of each kind a sandbox with a given dataset size has. Locations are laid
 * out by index: sites first, then areas, warehouses and storerooms; storeroom {@code w} (for {@code
 * w < warehouses}) belongs to warehouse {@code w}, and warehouse {@code s} (for {@code s < sites})
 * to site {@code s}.
 */
record Dimensions(
        long purchaseOrders,
        long vendors,
        long items,
        long sites,
        long areas,
        long warehouses,
        long storerooms,
        long assets,
        long workOrders,
        long serviceRequests) {

    static Dimensions of(long datasetSize) {
        long n = datasetSize;
        long locations = Math.max(10, n / 500);
        long sites = Math.max(2, locations / 25);
        long areas = Math.max(sites, (locations - sites) / 4);
        long warehouses = Math.max(sites, (locations - sites) / 4);
        long storerooms = Math.max(warehouses, locations - sites - areas - warehouses);
        return new Dimensions(
                n,
                Math.max(20, n / 50),
                Math.max(50, n / 20),
                sites,
                areas,
                warehouses,
                storerooms,
                Math.max(30, n / 20),
                n / 2,
                n / 4);
    }

    long locations() {
        return sites + areas + warehouses + storerooms;
    }

    long stockLevels() {
        return items * 2;
    }

    /** The index of the first area, warehouse and storeroom among the locations. */
    long firstArea() {
        return sites;
    }

    long firstWarehouse() {
        return sites + areas;
    }

    long firstStoreroom() {
        return sites + areas + warehouses;
    }

    long count(EntityType entity) {
        return switch (entity) {
            case VENDORS -> vendors;
            case ITEMS -> items;
            case STOCK_LEVELS -> stockLevels();
            case LOCATIONS -> locations();
            case ASSETS -> assets;
            case WORK_ORDERS -> workOrders;
            case SERVICE_REQUESTS -> serviceRequests;
            case PURCHASE_ORDERS -> purchaseOrders;
        };
    }
}
