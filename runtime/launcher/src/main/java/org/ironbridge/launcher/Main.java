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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
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

    /** The framework property: the lowest start level that waits for the REST API. */
    static final String AFTER_API_LEVEL = "ironbridge.startlevel.after_api";

    /**
     * The service the REST bundle registers once /health/ready has first answered 200 (or a few
     * seconds after Jersey initialized, if nobody asked).
     */
    static final String API_READY = "(objectClass=org.ironbridge.rest.internal.ApiReady)";

    private static final long API_TIMEOUT_MS = 60_000;

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

        List<Bundle> started = new ArrayList<>();
        Framework framework = start(home, props, logging, started);
        Logger log = LoggerFactory.getLogger(Main.class);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stop(framework, log), "ironbridge-shutdown"));
        // the levels that wait for the API (the Web Console) come after a wait of their own, which
        // is not part of the start: reported apart
        long ms = (System.nanoTime() - t0) / 1_000_000;
        startDeferredLevels(framework, props, log);
        warnInactive(framework, started, log);
        long deferredMs = (System.nanoTime() - t0) / 1_000_000 - ms;
        String host = props.getOrDefault("org.osgi.service.http.host", "127.0.0.1");
        String port = props.getOrDefault("org.osgi.service.http.port", "8080");
        log.info(
                "Ironbridge framework started in {} ms (the levels after the API {} ms later), HTTP"
                        + " on {}:{}",
                ms,
                deferredMs,
                host,
                port);

        FrameworkEvent event = framework.waitForStop(0);
        if (event.getType() == FrameworkEvent.ERROR) {
            log.error("Framework stopped with an error", event.getThrowable());
            System.exit(1);
        }
    }

    /**
     * Creates, fills and starts the framework; returns once all start levels below {@code
     * ironbridge.startlevel.after_api} are reached (all of them if it is not set).
     *
     * @param logging the thread that configures logging: bundles start once it has ended
     * @param started receives the bundles marked to start
     */
    static Framework start(
            Path home, Map<String, String> props, Thread logging, List<Bundle> started)
            throws IOException, BundleException, InterruptedException {
        Map<String, String> fw = new HashMap<>(props);
        fw.putIfAbsent(
                Constants.FRAMEWORK_STORAGE,
                Paths.get(props.get("ironbridge.data")).resolve("felix-cache").toString());
        fw.putIfAbsent(
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Start levels from ironbridge.startlevel.after_api up start later (startDeferredLevels)
        int deferredFrom = deferredLevel(fw);
        if (deferredFrom > 0) {
            fw.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(deferredFrom - 1));
        }
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
        started.addAll(toStart);
        return framework;
    }

    /**
     * The lowest start level that waits for the REST API to be ready ({@code
     * ironbridge.startlevel.after_api}), or 0 if none does.
     */
    static int deferredLevel(Map<String, String> props) {
        String afterApi = props.get(AFTER_API_LEVEL);
        if (afterApi == null || afterApi.isBlank()) {
            return 0;
        }
        int level = Integer.parseInt(afterApi.trim());
        return level > 1 && level <= finalLevel(props) ? level : 0;
    }

    private static int finalLevel(Map<String, String> props) {
        return Integer.parseInt(
                props.getOrDefault(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1").trim());
    }

    /**
     * Starts the start levels from {@code ironbridge.startlevel.after_api} up once the server has
     * answered ready (or a few seconds after the REST API initialized): what they hold (the OSGi
     * Web Console) is not needed to get ready and would take CPU from Jersey's initialization and
     * its first requests, the longest steps before ready.
     */
    static void startDeferredLevels(Framework framework, Map<String, String> props, Logger log)
            throws InterruptedException {
        int deferredFrom = deferredLevel(props);
        if (deferredFrom == 0) {
            return;
        }
        long t0 = System.nanoTime();
        boolean ready = awaitService(framework, API_READY, API_TIMEOUT_MS);
        if (!ready && framework.getState() == Bundle.ACTIVE) {
            log.warn(
                    "The REST API did not get ready within {} s; starting level {} and up anyway",
                    API_TIMEOUT_MS / 1000,
                    deferredFrom);
        }
        log.debug(
                "Waited {} ms for the REST API to be ready", (System.nanoTime() - t0) / 1_000_000);
        setStartLevel(framework, finalLevel(props));
    }

    private static void warnInactive(Framework framework, List<Bundle> started, Logger log) {
        if (framework.getState() != Bundle.ACTIVE) {
            return; // stopped meanwhile
        }
        for (Bundle b : started) {
            if (b.getState() != Bundle.ACTIVE) {
                log.warn("Bundle {} is not active (state {})", b.getSymbolicName(), b.getState());
            }
        }
    }

    /**
     * Waits until a service matching {@code filter} is registered, the framework stops or {@code
     * timeoutMs} pass; returns whether the service came.
     */
    static boolean awaitService(Framework framework, String filter, long timeoutMs)
            throws InterruptedException {
        BundleContext ctx = framework.getBundleContext();
        CountDownLatch registered = new CountDownLatch(1);
        ServiceListener listener =
                event -> {
                    if (event.getType() == ServiceEvent.REGISTERED) {
                        registered.countDown();
                    }
                };
        try {
            ctx.addServiceListener(listener, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        try {
            if (ctx.getServiceReferences((String) null, filter) != null) {
                return true;
            }
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            // a stop (SIGTERM) while waiting ends the wait: the framework is no longer active
            while (framework.getState() == Bundle.ACTIVE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (registered.await(Math.min(left, 100_000_000), TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        } finally {
            try {
                ctx.removeServiceListener(listener);
            } catch (IllegalStateException stopped) {
                // the framework stopped meanwhile
            }
        }
    }

    /**
     * Raises the framework's start level and waits until it is reached (or the framework stops).
     */
    static void setStartLevel(Framework framework, int level) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        try {
            framework
                    .adapt(FrameworkStartLevel.class)
                    .setStartLevel(level, event -> reached.countDown());
        } catch (IllegalStateException stopped) {
            return;
        }
        while (!reached.await(100, TimeUnit.MILLISECONDS)) {
            if (framework.getState() != Bundle.ACTIVE) {
                return;
            }
        }
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
