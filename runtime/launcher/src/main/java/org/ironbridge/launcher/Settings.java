package org.ironbridge.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The framework properties of a run: {@code etc/config.properties} with {@code ${NAME:-default}}
 * placeholders resolved against system properties, then environment variables, then the default.
 */
public final class Settings {
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\$\\{([A-Za-z0-9_.]+)(:-([^}]*))?}");

    private Settings() {}

    public static Map<String, String> load(Path file, Function<String, String> lookup)
            throws IOException {
        Properties raw = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : raw.stringPropertyNames()) {
            out.put(name, resolve(raw.getProperty(name), lookup));
        }
        return out;
    }

    static String resolve(String value, Function<String, String> lookup) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = lookup.apply(m.group(1));
            if (v == null || v.isEmpty()) {
                v = m.group(3) == null ? "" : resolve(m.group(3), lookup);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** System property first, then environment variable. */
    public static String systemLookup(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }
}
