package org.ironbridge.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Reference;
import org.ironbridge.model.Violation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link CanonicalModel} service: the shared {@link StandardCanonicalModel}. Compiling the
 * schemas takes about half a second on a cold JVM, so activation starts it on a thread of its own
 * instead of holding up the framework's start-level thread; the first caller waits for it if it is
 * not done yet.
 */
@Component(service = CanonicalModel.class, immediate = true)
public final class CanonicalModelComponent implements CanonicalModel {

    @Activate
    public CanonicalModelComponent() {
        Thread warmup = new Thread(StandardCanonicalModel::shared, "ironbridge-model-compile");
        warmup.setDaemon(true);
        warmup.start();
    }

    private static CanonicalModel model() {
        return StandardCanonicalModel.shared();
    }

    @Override
    public Set<EntityType> entityTypes() {
        return model().entityTypes();
    }

    @Override
    public JsonNode schema(EntityType type) {
        return model().schema(type);
    }

    @Override
    public List<Violation> validateCreate(EntityType type, JsonNode body) {
        return model().validateCreate(type, body);
    }

    @Override
    public List<Violation> validateUpdate(EntityType type, JsonNode body) {
        return model().validateUpdate(type, body);
    }

    @Override
    public List<Violation> validateRecord(EntityType type, JsonNode record) {
        return model().validateRecord(type, record);
    }

    @Override
    public List<Reference> references(EntityType type) {
        return model().references(type);
    }
}
