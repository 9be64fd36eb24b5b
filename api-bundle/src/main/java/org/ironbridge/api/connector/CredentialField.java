package org.ironbridge.api.connector;

import java.util.List;
import java.util.Objects;

/**
 * One field of a connector's connect form.
 *
 * @param name the key in {@link Credentials}, snake_case
 * @param label what the form shows
 * @param type how the form renders and validates it
 * @param required whether a connection needs it
 * @param help one sentence of help for a non-technical person, or null
 * @param options the allowed values of a {@link Type#SELECT} field; empty otherwise
 * @param defaultValue the value used when the field is left empty, or null
 */
public record CredentialField(
        String name,
        String label,
        Type type,
        boolean required,
        String help,
        List<String> options,
        String defaultValue) {

    /** How a credential field is entered. */
    public enum Type {
        TEXT,
        URL,
        SECRET,
        SELECT,
        NUMBER
    }

    public CredentialField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** A required field without help, options or default. */
    public static CredentialField required(String name, String label, Type type) {
        return new CredentialField(name, label, type, true, null, List.of(), null);
    }

    /** An optional field with a default value and help. */
    public static CredentialField optional(
            String name, String label, Type type, String defaultValue, String help) {
        return new CredentialField(name, label, type, false, help, List.of(), defaultValue);
    }

    /** Whether the value is a secret: masked in forms, never returned by the API. */
    public boolean secret() {
        return type == Type.SECRET;
    }
}
