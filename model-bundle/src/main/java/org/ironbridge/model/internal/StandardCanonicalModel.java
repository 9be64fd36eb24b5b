package org.ironbridge.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import com.networknt.schema.resource.DisallowSchemaLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Reference;
import org.ironbridge.model.Violation;

/**
 * The standard {@link CanonicalModel}: the JSON Schemas under {@code schemas/<collection>.json} in
 * this bundle, validated with networknt's json-schema-validator (embedded in the bundle).
 *
 * <p>All schemas are read with this bundle's own class loader and compiled in the constructor;
 * loading any other schema than the draft 2020-12 meta-schemas shipped inside the validator is
 * refused, so nothing is ever fetched over the network. Instances are immutable and thread-safe.
 */
public final class StandardCanonicalModel implements CanonicalModel {

    /** Where the schemas are, relative to the bundle root. */
    static final String SCHEMA_FOLDER = "schemas/";

    private static final String NOT_AN_OBJECT = "must be a JSON object";

    private final Map<EntityType, Compiled> compiled;

    /** Reads and compiles every entity type's schema. */
    public StandardCanonicalModel() {
        ClassLoader own = StandardCanonicalModel.class.getClassLoader();
        JsonSchemaFactory factory = factory(own);
        SchemaValidatorsConfig write = config(true);
        SchemaValidatorsConfig read = config(false);
        ObjectMapper mapper = new ObjectMapper();
        Map<EntityType, Compiled> map = new EnumMap<>(EntityType.class);
        for (EntityType type : EntityType.values()) {
            ObjectNode schema = load(mapper, own, type);
            ObjectNode create = SchemaVariants.forCreate(schema);
            ObjectNode update = SchemaVariants.forUpdate(schema);
            map.put(
                    type,
                    new Compiled(
                            schema,
                            new Variant(create, compile(factory, create, write)),
                            new Variant(update, compile(factory, update, write)),
                            new Variant(schema, compile(factory, schema, read)),
                            References.of(schema)));
        }
        this.compiled = Collections.unmodifiableMap(map);
    }

    /** The instance {@link CanonicalModel#standard()} returns. */
    public static CanonicalModel shared() {
        return Shared.INSTANCE;
    }

    @Override
    public Set<EntityType> entityTypes() {
        return Collections.unmodifiableSet(EnumSet.copyOf(compiled.keySet()));
    }

    @Override
    public JsonNode schema(EntityType type) {
        return get(type).schema().deepCopy();
    }

    @Override
    public List<Violation> validateCreate(EntityType type, JsonNode body) {
        return validate(get(type).create(), body);
    }

    @Override
    public List<Violation> validateUpdate(EntityType type, JsonNode body) {
        return validate(get(type).update(), body);
    }

    @Override
    public List<Violation> validateRecord(EntityType type, JsonNode record) {
        return validate(get(type).record(), record);
    }

    @Override
    public List<Reference> references(EntityType type) {
        return get(type).references();
    }

    private Compiled get(EntityType type) {
        Objects.requireNonNull(type, "type");
        Compiled c = compiled.get(type);
        if (c == null) {
            throw new IllegalArgumentException("no schema for entity type " + type);
        }
        return c;
    }

    private static List<Violation> validate(Variant variant, JsonNode body) {
        if (body == null || !body.isObject()) {
            return List.of(new Violation("", NOT_AN_OBJECT));
        }
        Set<ValidationMessage> messages = variant.validator().validate(body);
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Violation> mapped = new ArrayList<>(messages.size());
        for (ValidationMessage message : messages) {
            mapped.add(ViolationMapper.map(message, variant.schema()));
        }
        // a read-only field is reported as such, not also for its type or format
        Set<String> readOnly = new LinkedHashSet<>();
        for (Violation v : mapped) {
            if (v.message().equals("is read-only")) {
                readOnly.add(v.field());
            }
        }
        List<Violation> result = new ArrayList<>(mapped.size());
        for (Violation v : mapped) {
            boolean shadowed = !v.message().equals("is read-only") && underAny(v.field(), readOnly);
            if (!shadowed && !result.contains(v)) {
                result.add(v);
            }
        }
        result.sort(Comparator.comparing(Violation::field, FieldPaths.ORDER));
        return List.copyOf(result);
    }

    private static boolean underAny(String field, Set<String> prefixes) {
        for (String p : prefixes) {
            if (field.equals(p) || field.startsWith(p + ".") || field.startsWith(p + "[")) {
                return true;
            }
        }
        return false;
    }

    static JsonSchemaFactory factory(ClassLoader own) {
        JsonMetaSchema metaSchema =
                JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .keyword(new NonValidationKeyword(References.KEYWORD))
                        .keyword(new NonValidationKeyword(SchemaVariants.REQUIRED_ON_CREATE))
                        .keyword(new NonValidationKeyword(SchemaVariants.MIN_ITEMS_ON_CREATE))
                        .format(new EmailFormat())
                        .build();
        return JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder ->
                        builder.metaSchema(metaSchema)
                                .enableSchemaCache(false)
                                .schemaLoaders(
                                        loaders ->
                                                // meta-schemas from the embedded validator jar, via
                                                // this bundle's class loader (never the TCCL);
                                                // anything else, remote IRIs included, is refused
                                                loaders.add(new ClasspathSchemaLoader(() -> own))
                                                        .add(DisallowSchemaLoader.getInstance())));
    }

    private static SchemaValidatorsConfig config(boolean writing) {
        return SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .readOnly(writing)
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .typeLoose(false)
                .build();
    }

    private static JsonSchema compile(
            JsonSchemaFactory factory, ObjectNode schema, SchemaValidatorsConfig config) {
        JsonSchema compiled =
                factory.getSchema(SchemaLocation.of(schema.path("$id").asText()), schema, config);
        compiled.initializeValidators();
        return compiled;
    }

    private static ObjectNode load(ObjectMapper mapper, ClassLoader loader, EntityType type) {
        String resource = SCHEMA_FOLDER + type.collection() + ".json";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing");
            }
            JsonNode node = mapper.readTree(in);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalStateException(
                        "schema resource " + resource + " is not an object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    private record Variant(JsonNode schema, JsonSchema validator) {}

    private record Compiled(
            ObjectNode schema,
            Variant create,
            Variant update,
            Variant record,
            List<Reference> references) {}

    private static final class Shared {
        static final CanonicalModel INSTANCE = new StandardCanonicalModel();
    }
}
