package org.ironbridge.distribution;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.ironbridge.launcher.Settings;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot exactly what the distribution ships: every jar of {@code
 * target/ironbridge/bundle/<level>} at its start level, and the framework properties of {@code
 * etc/config.properties} resolved as the launcher resolves them, with a free port, a temporary data
 * folder and deploy folder, and a known admin key.
 */
final class Distribution {
    static final String ADMIN_KEY = "ibk_IntegrationTestAdminKey0123456789";

    private Distribution() {}

    /**
     * A new folder under {@code target/it-tmp} (so that {@code mvn clean} removes what the tests
     * leave behind, instead of littering {@code /tmp}).
     */
    static Path tempDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(
                Files.createDirectories(Paths.get("target", "it-tmp").toAbsolutePath()), prefix);
    }

    static Path home() {
        return Paths.get(System.getProperty("ironbridge.dist", "target/ironbridge"))
                .toAbsolutePath();
    }

    static Option[] options(Path deployDir) throws IOException {
        return options(deployDir, Map.of());
    }

    /**
     * @param environment more environment variables of {@code etc/config.properties}, e.g. {@code
     *     IRONBRIDGE_CONSOLE_USER}
     */
    static Option[] options(Path deployDir, Map<String, String> environment) throws IOException {
        Path home = home();
        Path data = Distribution.tempDirectory("ironbridge-it-data");
        Map<String, String> overrides = new HashMap<>();
        overrides.put("ironbridge.home", home.toString());
        overrides.put("IRONBRIDGE_HTTP_PORT", Integer.toString(freePort()));
        overrides.put("IRONBRIDGE_DATA", data.toString());
        overrides.put("IRONBRIDGE_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
        overrides.putAll(environment);
        Map<String, String> props =
                Settings.load(
                        home.resolve("etc/config.properties"),
                        n -> overrides.getOrDefault(n, null));
        props.put("ironbridge.data", data.toString());
        props.put("felix.fileinstall.dir", deployDir.toString());
        props.remove("org.osgi.framework.storage.clean");

        List<Option> options = new ArrayList<>();
        // Pax Exam adds its own packages to this property: extend it rather than replace it.
        String extra = props.remove("org.osgi.framework.system.packages.extra");
        for (String pkg : extra.split(",(?=[a-z])")) {
            options.add(systemPackages(pkg.trim()));
        }
        for (Map.Entry<String, String> e : props.entrySet()) {
            options.add(frameworkProperty(e.getKey()).value(e.getValue()));
        }
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(home.resolve("bundle"))) {
            for (Path level : levels) {
                int startLevel = Integer.parseInt(level.getFileName().toString());
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(level, "*.jar")) {
                    for (Path jar : jars) {
                        options.add(
                                bundle(jar.toUri().toString())
                                        .startLevel(startLevel)
                                        .start(!isFragment(jar)));
                    }
                }
            }
        }
        options.add(frameworkStartLevel(10));
        options.add(junitBundles());
        options.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        return options.toArray(new Option[0]);
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The connector bundles the distribution ships in deploy/. */
    static List<Path> shippedConnectors() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(home().resolve("deploy"), "*.jar")) {
            ds.forEach(out::add);
        }
        return out;
    }
}
