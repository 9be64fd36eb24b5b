package org.ironbridge.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$";
    private static final List<String> READ_ONLY =
            List.of("id", "remote_id", "created_at", "updated_at", "deleted_at", "remote_data");

    private static final CanonicalModel MODEL = CanonicalModel.standard();
    private static JsonSchema metaSchema;

    @BeforeAll
    static void loadMetaSchema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        metaSchema =
                factory.getSchema(
                        SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    }

    @Test
    void everyEntityTypeHasASchema() {
        assertThat(MODEL.entityTypes()).containsExactly(EntityType.values());
    }

    @ParameterizedTest
    @EnumSource(EntityType.class)
    void schemaResourceIsAValid2020_12Schema(EntityType type) throws Exception {
        JsonNode schema;
        try (InputStream in =
                getClass()
                        .getClassLoader()
                        .getResourceAsStream("schemas/" + type.collection() + ".json")) {
            assertThat(in).as("schemas/%s.json", type.collection()).isNotNull();
            schema = MAPPER.readTree(in);
        }
        assertThat(schema.path("$schema").asText())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
        Set<ValidationMessage> problems = metaSchema.validate(schema);
        assertThat(problems).isEmpty();
        assertThat(MODEL.schema(type)).isEqualTo(schema);
    }

    @ParameterizedTest
    @EnumSource(EntityType.class)
    void schemaDescribesTheServedRecord(EntityType type) {
        JsonNode schema = MODEL.schema(type);
        assertThat(schema.path("title").asText()).isEqualTo(type.singular());
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").isBoolean()).isTrue();
        assertThat(schema.path("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.path("required"))
                .extracting(JsonNode::asText)
                .contains("id", "remote_id", "created_at", "updated_at");

        JsonNode properties = schema.path("properties");
        for (String field : READ_ONLY) {
            assertThat(properties.path(field).path("readOnly").asBoolean())
                    .as("%s.%s is read-only", type.collection(), field)
                    .isTrue();
        }
        assertThat(properties.path("id").path("pattern").asText())
                .isEqualTo("^" + type.idPrefix() + "_.+$");
        assertThat(properties.path("created_at").path("format").asText()).isEqualTo("date-time");
        assertThat(properties.path("custom_fields").path("readOnly").asBoolean()).isFalse();
        assertThat(properties.path("custom_fields").path("type"))
                .extracting(JsonNode::asText)
                .containsExactly("object", "null");
        if (properties.has("remote_status")) {
            assertThat(properties.path("remote_status").path("readOnly").asBoolean()).isTrue();
        }
        checkProperties(type.collection(), schema);
    }

    /** Titles, descriptions, closed nested objects and nullability of every non-required field. */
    private static void checkProperties(String where, JsonNode objectSchema) {
        List<String> required = new ArrayList<>();
        objectSchema.path("required").forEach(n -> required.add(n.asText()));
        for (Map.Entry<String, JsonNode> e : objectSchema.path("properties").properties()) {
            String path = where + "." + e.getKey();
            JsonNode property = e.getValue();
            assertThat(property.path("title").asText()).as("title of %s", path).isNotBlank();
            assertThat(property.path("description").asText())
                    .as("description of %s", path)
                    .isNotBlank();
            JsonNode type = property.path("type");
            boolean nullable = type.isArray() && type.toString().contains("\"null\"");
            assertThat(nullable)
                    .as("%s is nullable exactly when it is not required", path)
                    .isEqualTo(!required.contains(e.getKey()));
            if (property.has("enum") && nullable) {
                assertThat(property.path("enum").toString()).as(path).contains("null");
            }
            if (property.path("description").asText().contains("decimal string")) {
                assertThat(property.path("pattern").asText())
                        .as("%s is a decimal string", path)
                        .matches("\\^.*\\[0-9\\].*\\$");
                assertThat(type.toString()).as(path).contains("\"string\"");
            }
            if (property.has("properties")) {
                assertThat(property.path("additionalProperties").asBoolean(true))
                        .as("%s is closed", path)
                        .isFalse();
                checkProperties(path, property);
            }
            if (property.path("items").has("properties")) {
                assertThat(property.path("items").path("additionalProperties").asBoolean(true))
                        .as("%s[] is closed", path)
                        .isFalse();
                checkProperties(path + "[]", property.path("items"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EntityType.class)
    void exampleIsAValidRecord(EntityType type) {
        JsonNode examples = MODEL.schema(type).path("examples");
        assertThat(examples.size()).isEqualTo(1);
        JsonNode example = examples.get(0);
        assertThat(example.path("id").asText()).startsWith(type.idPrefix() + "_");
        assertThat(MODEL.validateRecord(type, example)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EntityType.class)
    void exampleWithoutReadOnlyFieldsIsAValidCreateAndUpdateBody(EntityType type) {
        ObjectNode body = (ObjectNode) MODEL.schema(type).path("examples").get(0).deepCopy();
        body.remove(READ_ONLY);
        body.remove("remote_status");
        assertThat(MODEL.validateCreate(type, body)).isEmpty();
        assertThat(MODEL.validateUpdate(type, body)).isEmpty();
    }

    @Test
    void decimalFieldsUseTheDecimalPattern() {
        JsonNode po = MODEL.schema(EntityType.PURCHASE_ORDERS).path("properties");
        assertThat(po.path("total_net").path("pattern").asText()).isEqualTo(DECIMAL);
        JsonNode unitPrice = po.path("lines").path("items").path("properties").path("unit_price");
        assertThat(unitPrice.path("pattern").asText()).isEqualTo(DECIMAL);
        assertThat(unitPrice.path("type").asText()).isEqualTo("string");
        JsonNode stock = MODEL.schema(EntityType.STOCK_LEVELS).path("properties");
        for (String q :
                List.of(
                        "quantity_on_hand",
                        "quantity_reserved",
                        "quantity_available",
                        "quantity_on_order",
                        "reorder_point")) {
            assertThat(stock.path(q).path("pattern").asText()).as(q).isEqualTo(DECIMAL);
        }
    }

    @Test
    void schemaReturnsACopy() {
        ObjectNode schema = (ObjectNode) MODEL.schema(EntityType.VENDORS);
        schema.put("title", "changed");
        ((ObjectNode) schema.path("properties")).remove("name");
        JsonNode again = MODEL.schema(EntityType.VENDORS);
        assertThat(again.path("title").asText()).isEqualTo("vendor");
        assertThat(again.path("properties").has("name")).isTrue();
        assertThat(
                        MODEL.validateCreate(
                                EntityType.VENDORS, MAPPER.createObjectNode().put("name", "x")))
                .isEmpty();
    }

    @Test
    void referencesAreAnnotatedWithTheirCollection() {
        JsonNode wo = MODEL.schema(EntityType.WORK_ORDERS).path("properties");
        assertThat(wo.path("asset_id").path("x-reference").asText()).isEqualTo("assets");
        assertThat(
                        wo.path("parts")
                                .path("items")
                                .path("properties")
                                .path("item_id")
                                .path("x-reference")
                                .asText())
                .isEqualTo("items");
        JsonNode po = MODEL.schema(EntityType.PURCHASE_ORDERS);
        assertThat(po.path("properties").path("vendor_id").path("x-reference").asText())
                .isEqualTo("vendors");
        assertThat(po.path("x-required-on-create"))
                .extracting(JsonNode::asText)
                .containsExactly("vendor_id", "lines");
    }
}
