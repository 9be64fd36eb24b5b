package org.ironbridge.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the Ironbridge runtime: an Apache Felix framework with the core bundles of {@code
 * bundle/<start level>/}, and FileInstall watching {@code deploy/} for connector bundles.
 *
 * <p>The home folder is the system property {@code ironbridge.home} (set by {@code
 * bin/ironbridge}); the framework properties come from {@code etc/config.properties}, where {@code
 * ${NAME:-default}} placeholders read system properties and environment variables ({@code
 * IRONBRIDGE_HTTP_PORT}, {@code IRONBRIDGE_DATA}, ...).
 */
public final class Main {
    private static final String SAX_FACTORY = "javax.xml.parsers.SAXParserFactory";
    private static final String JDK_SAX_FACTORY =
            "com.sun.org.apache.xerces.internal.jaxp.SAXParserFactoryImpl";

    private Main() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path home =
                Paths.get(System.getProperty("ironbridge.home", ".")).toAbsolutePath().normalize();
        Map<String, String> props =
                Settings.load(
                        home.resolve("etc/config.properties"),
                        name ->
                                name.equals("ironbridge.home")
                                        ? home.toString()
                                        : Settings.systemLookup(name));
        Path data = home.resolve(props.getOrDefault("ironbridge.data", "data")).normalize();
        props.put("ironbridge.data", data.toString());
        props.put("ironbridge.home", home.toString());
        Files.createDirectories(data.resolve("logs"));

        // Logging must be configured before the first LoggerFactory call (logback reads these
        // properties). Configuring it (logback parses etc/logback.xml) takes a few hundred ms of
        // CPU: it runs on a thread of its own while this one creates the framework and installs
        // the bundles, which log nothing through SLF4J; bundles start once it is done.
        System.setProperty("ironbridge.logs", data.resolve("logs").toString());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty(
                    "logback.configurationFile", home.resolve("etc/logback.xml").toString());
        }
        // SCR reads every bundle's component descriptors, and logback its configuration, with a
        // SAX parser: naming the JDK's own factory spares a service lookup for each of them.
        if (System.getProperty(SAX_FACTORY) == null) {
            System.setProperty(SAX_FACTORY, JDK_SAX_FACTORY);
        }
        Thread logging =
                new Thread(
                        () -> {
                            SLF4JBridgeHandler.removeHandlersForRootLogger();
                            SLF4JBridgeHandler.install();
                            LoggerFactory.getILoggerFactory();
                        },
                        "ironbridge-logging-init");
        logging.start();

        Framework framework = start(home, props, logging);
        Logger log = LoggerFactory.getLogger(Main.class);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stop(framework, log), "ironbridge-shutdown"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String host = props.getOrDefault("org.osgi.service.http.host", "127.0.0.1");
        String port = props.getOrDefault("org.osgi.service.http.port", "8080");
        log.info("Ironbridge framework started in {} ms, HTTP on {}:{}", ms, host, port);

        FrameworkEvent event = framework.waitForStop(0);
        if (event.getType() == FrameworkEvent.ERROR) {
            log.error("Framework stopped with an error", event.getThrowable());
            System.exit(1);
        }
    }

    /**
     * Creates, fills and starts the framework; returns once all start levels are reached.
     *
     * @param logging the thread that configures logging: bundles start once it has ended
     */
    static Framework start(Path home, Map<String, String> props, Thread logging)
            throws IOException, BundleException, InterruptedException {
        Map<String, String> fw = new HashMap<>(props);
        fw.putIfAbsent(
                Constants.FRAMEWORK_STORAGE,
                Paths.get(props.get("ironbridge.data")).resolve("felix-cache").toString());
        fw.putIfAbsent(
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        long t0 = System.nanoTime();
        Framework framework = factory.newFramework(fw);
        framework.init();
        long tInit = System.nanoTime();
        BundleContext ctx = framework.getBundleContext();

        // Installing parses each bundle's manifest and writes its cache entry: two threads do it
        // side by side (a quarter of the CPU spent before the first bundle starts, on 2 cores).
        // Start levels and the persistent start mark are set afterwards, in the folders' order.
        List<Path> jars = new ArrayList<>();
        List<Integer> jarLevels = new ArrayList<>();
        Path bundles = home.resolve("bundle");
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(bundles, Files::isDirectory)) {
            List<Path> sorted = new ArrayList<>();
            levels.forEach(sorted::add);
            sorted.sort(null);
            for (Path level : sorted) {
                int startLevel = Integer.parseInt(level.getFileName().toString());
                List<Path> inLevel = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(level, "*.jar")) {
                    ds.forEach(inLevel::add);
                }
                inLevel.sort(null);
                for (Path jar : inLevel) {
                    jars.add(jar);
                    jarLevels.add(startLevel);
                }
            }
        }
        List<Bundle> installed = install(ctx, jars);
        List<Bundle> toStart = new ArrayList<>();
        for (int i = 0; i < installed.size(); i++) {
            Bundle b = installed.get(i);
            b.adapt(BundleStartLevel.class).setStartLevel(jarLevels.get(i));
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                toStart.add(b);
            }
        }
        for (Bundle b : toStart) {
            // With the framework at start level 0 this only marks the bundle persistently started;
            // the framework
            // starts it when it raises the start level, in start-level order.
            b.start();
        }
        long tInstalled = System.nanoTime();
        logging.join();
        Logger log = LoggerFactory.getLogger(Main.class);
        framework.start();
        log.debug(
                "Felix init {} ms, install {} ms, start levels {} ms",
                (tInit - t0) / 1_000_000,
                (tInstalled - tInit) / 1_000_000,
                (System.nanoTime() - tInstalled) / 1_000_000);
        for (Bundle b : ctx.getBundles()) {
            if (b.getState() != Bundle.ACTIVE
                    && b.getHeaders().get(Constants.FRAGMENT_HOST) == null
                    && toStart.contains(b)) {
                log.warn("Bundle {} is not active (state {})", b.getSymbolicName(), b.getState());
            }
        }
        return framework;
    }

    /**
     * Installs the jars by reference (the framework reads them in place instead of copying them
     * into its cache), on two threads; returns the bundles in the jars' order.
     */
    private static List<Bundle> install(BundleContext ctx, List<Path> jars)
            throws BundleException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Bundle>> futures = new ArrayList<>();
            for (Path jar : jars) {
                futures.add(pool.submit(() -> ctx.installBundle("reference:" + jar.toUri())));
            }
            List<Bundle> bundles = new ArrayList<>();
            for (Future<Bundle> f : futures) {
                try {
                    bundles.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BundleException be) {
                        throw be;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return bundles;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void stop(Framework framework, Logger log) {
        try {
            log.info("Stopping Ironbridge");
            framework.stop();
            framework.waitForStop(15_000);
            log.info("Ironbridge stopped");
        } catch (Exception e) {
            log.warn("Error while stopping", e);
        }
    }
}
