package org.ironbridge.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class SchemaLoadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void remoteSchemasAreNeverFetched() throws Exception {
        JsonSchemaFactory factory =
                StandardCanonicalModel.factory(StandardCanonicalModel.class.getClassLoader());
        assertThatThrownBy(
                        () -> {
                            JsonSchema schema =
                                    factory.getSchema(
                                            MAPPER.readTree(
                                                    "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                                                            + " \"$ref\": \"https://schemas.example.com/remote.json\"}"));
                            schema.initializeValidators();
                            schema.validate(MAPPER.readTree("{}"));
                        })
                .hasMessageContaining("https://schemas.example.com/remote.json")
                .hasMessageContaining("not allowed");
    }

    @Test
    void metaSchemaIsLoadedWithTheGivenClassLoaderNotTheContextClassLoader() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        // a context class loader that sees nothing, as it may be inside OSGi
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            thread.setContextClassLoader(empty);
            JsonSchemaFactory factory =
                    StandardCanonicalModel.factory(StandardCanonicalModel.class.getClassLoader());
            JsonSchema meta =
                    factory.getSchema(
                            SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
            assertThat(meta.validate(MAPPER.readTree("{\"type\": \"object\"}"))).isEmpty();
            assertThat(meta.validate(MAPPER.readTree("{\"type\": 12}"))).isNotEmpty();
            // and the model itself does not depend on the context class loader either
            assertThat(new StandardCanonicalModel().entityTypes()).isNotEmpty();
        } finally {
            thread.setContextClassLoader(context);
        }
    }
}
