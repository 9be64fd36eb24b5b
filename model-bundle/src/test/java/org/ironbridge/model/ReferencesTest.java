package org.ironbridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferencesTest {

    private static final CanonicalModel MODEL = CanonicalModel.standard();

    @Test
    void purchaseOrderReferences() {
        assertThat(MODEL.references(EntityType.PURCHASE_ORDERS))
                .containsExactly(
                        new Reference("vendor_id", EntityType.VENDORS),
                        new Reference("lines[].item_id", EntityType.ITEMS),
                        new Reference("lines[].location_id", EntityType.LOCATIONS));
    }

    @Test
    void workOrderReferences() {
        assertThat(MODEL.references(EntityType.WORK_ORDERS))
                .containsExactly(
                        new Reference("asset_id", EntityType.ASSETS),
                        new Reference("location_id", EntityType.LOCATIONS),
                        new Reference("service_request_id", EntityType.SERVICE_REQUESTS),
                        new Reference("parts[].item_id", EntityType.ITEMS),
                        new Reference("parts[].location_id", EntityType.LOCATIONS));
    }

    @Test
    void referencesOfTheOtherEntities() {
        assertThat(MODEL.references(EntityType.VENDORS)).isEmpty();
        assertThat(MODEL.references(EntityType.ITEMS))
                .containsExactly(new Reference("vendor_id", EntityType.VENDORS));
        assertThat(MODEL.references(EntityType.STOCK_LEVELS))
                .containsExactly(
                        new Reference("item_id", EntityType.ITEMS),
                        new Reference("location_id", EntityType.LOCATIONS));
        assertThat(MODEL.references(EntityType.LOCATIONS))
                .containsExactly(new Reference("parent_id", EntityType.LOCATIONS));
        assertThat(MODEL.references(EntityType.ASSETS))
                .containsExactly(
                        new Reference("location_id", EntityType.LOCATIONS),
                        new Reference("parent_id", EntityType.ASSETS));
        assertThat(MODEL.references(EntityType.SERVICE_REQUESTS))
                .containsExactly(
                        new Reference("asset_id", EntityType.ASSETS),
                        new Reference("location_id", EntityType.LOCATIONS),
                        new Reference("work_order_id", EntityType.WORK_ORDERS));
    }

    @Test
    void referencesAreUnmodifiableAndKnowWhetherTheyAreInAnArray() {
        var refs = MODEL.references(EntityType.PURCHASE_ORDERS);
        assertThatThrownBy(() -> refs.add(new Reference("x", EntityType.ITEMS)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(refs.get(0).inArray()).isFalse();
        assertThat(refs.get(1).inArray()).isTrue();
    }

    @Test
    void everyReferenceFieldNameEndsInId() {
        for (EntityType type : MODEL.entityTypes()) {
            assertThat(MODEL.references(type))
                    .allSatisfy(r -> assertThat(r.path()).endsWith("_id"));
        }
    }
}
