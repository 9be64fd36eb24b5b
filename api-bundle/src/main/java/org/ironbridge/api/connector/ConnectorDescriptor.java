package org.ironbridge.api.connector;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ironbridge.model.EntityType;

/**
 * What a connector is and what it can do, as data: the runtime, the admin API, the console and the
 * connect page read it without calling the connector. Immutable; build one with {@link
 * #builder(String)}.
 */
public final class ConnectorDescriptor {
    private final String system;
    private final String name;
    private final String vendor;
    private final Category category;
    private final Map<Deployment, Integer> credits;
    private final List<CredentialField> credentialFields;
    private final Map<EntityType, EntityCapabilities> entities;
    private final RateLimit rateLimit;

    private ConnectorDescriptor(Builder b) {
        this.system = b.system;
        this.name = Objects.requireNonNull(b.name, "name");
        this.vendor = b.vendor == null ? "" : b.vendor;
        this.category = Objects.requireNonNull(b.category, "category");
        if (b.credits.isEmpty()) {
            throw new IllegalArgumentException("a connector supports at least one deployment");
        }
        this.credits = Collections.unmodifiableMap(new EnumMap<>(b.credits));
        this.credentialFields = List.copyOf(b.credentialFields);
        this.entities =
                Collections.unmodifiableMap(
                        b.entities.isEmpty()
                                ? new EnumMap<>(EntityType.class)
                                : new EnumMap<>(b.entities));
        this.rateLimit = b.rateLimit;
    }

    /**
     * Starts a descriptor for the system id, e.g. {@code tryton}: lowercase letters, digits and
     * dashes.
     */
    public static Builder builder(String system) {
        return new Builder(system);
    }

    /** The system id, e.g. {@code tryton} or {@code sap-s4hana}: stable, used in the API. */
    public String system() {
        return system;
    }

    /** The display name, e.g. {@code Tryton ERP}. */
    public String name() {
        return name;
    }

    /** Who makes the source system. */
    public String vendor() {
        return vendor;
    }

    public Category category() {
        return category;
    }

    /** The deployment models this connector supports. */
    public Set<Deployment> deployments() {
        return credits.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(credits.keySet()));
    }

    /** The credits one connection costs, per supported deployment model. */
    public Map<Deployment, Integer> credits() {
        return credits;
    }

    /** The credit cost of a connection with the given deployment, if this connector supports it. */
    public Optional<Integer> creditCost(Deployment deployment) {
        return Optional.ofNullable(credits.get(deployment));
    }

    /** The fields of the connect form, in display order. */
    public List<CredentialField> credentialFields() {
        return credentialFields;
    }

    /** The entity types this connector maps, with their capabilities. */
    public Map<EntityType, EntityCapabilities> entities() {
        return entities;
    }

    /** The capabilities for one entity type; {@code NONE} when the connector does not map it. */
    public EntityCapabilities capabilities(EntityType type) {
        EntityCapabilities c = entities.get(type);
        return c == null ? new EntityCapabilities(Set.of(), false, false) : c;
    }

    /**
     * The rate limit the source documents for one connection, if it has one: the runtime keeps each
     * connection's calls to the source within it.
     *
     * @since 1.2
     */
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    /** Builds a {@link ConnectorDescriptor}. */
    public static final class Builder {
        private final String system;
        private String name;
        private String vendor;
        private Category category;
        private final Map<Deployment, Integer> credits = new LinkedHashMap<>();
        private final List<CredentialField> credentialFields = new java.util.ArrayList<>();
        private final Map<EntityType, EntityCapabilities> entities = new LinkedHashMap<>();
        private RateLimit rateLimit;

        private Builder(String system) {
            if (system == null || !system.matches("[a-z][a-z0-9-]{1,39}")) {
                throw new IllegalArgumentException("invalid system id: " + system);
            }
            this.system = system;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder vendor(String vendor) {
            this.vendor = vendor;
            return this;
        }

        public Builder category(Category category) {
            this.category = category;
            return this;
        }

        /** Declares a supported deployment model and what one connection of it costs. */
        public Builder deployment(Deployment deployment, int credits) {
            if (credits < 0) {
                throw new IllegalArgumentException("credits must be >= 0");
            }
            this.credits.put(deployment, credits);
            return this;
        }

        public Builder credentialField(CredentialField field) {
            this.credentialFields.add(field);
            return this;
        }

        public Builder entity(EntityType type, EntityCapabilities capabilities) {
            this.entities.put(type, capabilities);
            return this;
        }

        /**
         * Declares the source's rate limit per connection (null: none).
         *
         * @since 1.2
         */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        public ConnectorDescriptor build() {
            return new ConnectorDescriptor(this);
        }
    }
}
