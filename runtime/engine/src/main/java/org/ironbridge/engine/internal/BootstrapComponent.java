package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.StoreException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the first start (no organization yet), creates the default organization and its admin key: the
 * one in {@code ironbridge.bootstrap.admin.key} ({@code IRONBRIDGE_BOOTSTRAP_ADMIN_KEY}) or a
 * generated one, which is printed once to the terminal and never logged or stored in clear. Then,
 * in the background, waits up to a minute for the sandbox connector, connects it as a demo
 * connection and prints one banner with the console URL, the admin key, the sandbox connection
 * token and sample calls.
 *
 * <p>On every start, when {@code ironbridge.bootstrap.console.user} and {@code
 * ironbridge.bootstrap.console.password} ({@code IRONBRIDGE_CONSOLE_USER}, {@code
 * IRONBRIDGE_CONSOLE_PASSWORD}) are set and the default organization has no console user with that
 * email, creates one (an existing user's password is never changed).
 */
@Component(immediate = true, service = BootstrapComponent.class)
public final class BootstrapComponent {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapComponent.class);
    static final String DEFAULT_ORG = "org_default";
    static final String SANDBOX = "sandbox";
    static final Duration SANDBOX_WAIT = Duration.ofSeconds(60);

    private volatile Thread finisher;

    @Activate
    public BootstrapComponent(
            BundleContext ctx,
            @Reference DataSource ds,
            @Reference ConnectionService connections,
            @Reference ConnectorRegistry registry,
            @Reference ConsoleService console) {
        OrganizationRepository orgs = new OrganizationRepository(ds);
        String base = baseUrl(ctx);
        if (orgs.count() > 0) {
            LOG.info("Console: {}/console/ (the admin key was printed on first start)", base);
            if (orgs.find(DEFAULT_ORG).isPresent()) {
                startConsoleUser(ctx, console);
            }
            return;
        }
        String given = ctx.getProperty("ironbridge.bootstrap.admin.key");
        boolean generated = given == null || given.isBlank();
        String key = generated ? Tokens.newToken(Tokens.ADMIN_KEY) : given.trim();
        if (!Tokens.looksLike(key, Tokens.ADMIN_KEY)) {
            LOG.error(
                    "IRONBRIDGE_BOOTSTRAP_ADMIN_KEY must be ibk_ followed by 16 to 128 letters or"
                            + " digits; no organization was created");
            return;
        }
        int pool = Integer.parseInt(prop(ctx, "ironbridge.default.credit_pool", "100"));
        try {
            orgs.createWithAdminKey(
                    DEFAULT_ORG,
                    "Default organization",
                    pool,
                    Tokens.newId("key"),
                    Tokens.hash(key),
                    Tokens.hint(key),
                    Instant.now(Clock.systemUTC()));
        } catch (StoreException e) {
            // Another node of the cluster bootstrapped the same database first.
            LOG.info("The default organization already exists");
            return;
        }
        LOG.info("Created the default organization");
        startConsoleUser(ctx, console);
        String shownKey = generated ? key : "(the value of IRONBRIDGE_BOOTSTRAP_ADMIN_KEY)";
        String curlKey = generated ? key : "$IRONBRIDGE_BOOTSTRAP_ADMIN_KEY";
        // the sandbox connector may start after this bundle: wait for it without blocking
        // activation, then print one banner
        Thread t =
                new Thread(
                        () -> {
                            Optional<CreatedConnection> sandbox =
                                    createSandbox(
                                            connections,
                                            registry,
                                            SANDBOX_WAIT,
                                            Duration.ofMillis(250));
                            show(ctx, banner(base, shownKey, curlKey, sandbox.orElse(null)));
                        },
                        "ironbridge-bootstrap");
        t.setDaemon(true);
        finisher = t;
        t.start();
    }

    @Deactivate
    void deactivate() {
        Thread t = finisher;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Creates the console user of the environment, if any, on a thread of its own (slow hash). */
    private static void startConsoleUser(BundleContext ctx, ConsoleService console) {
        String email = ctx.getProperty("ironbridge.bootstrap.console.user");
        if (email == null || email.isBlank()) {
            return;
        }
        String password = ctx.getProperty("ironbridge.bootstrap.console.password");
        Thread t =
                new Thread(
                        () -> ensureConsoleUser(console, email, password),
                        "ironbridge-bootstrap-console-user");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Creates a console user of the default organization unless one with this email exists.
     *
     * @return whether a user was created
     */
    static boolean ensureConsoleUser(ConsoleService console, String email, String password) {
        String normalized = ConsoleManager.normalizeEmail(email);
        if (password == null || password.isEmpty()) {
            LOG.error(
                    "IRONBRIDGE_CONSOLE_USER is set but IRONBRIDGE_CONSOLE_PASSWORD is not; no"
                            + " console user was created");
            return false;
        }
        try {
            if (console.users(DEFAULT_ORG).stream().anyMatch(u -> u.email().equals(normalized))) {
                LOG.info("Console user {} exists", normalized);
                return false;
            }
            console.createUser(DEFAULT_ORG, normalized, password);
            LOG.info("Created console user {} in the default organization", normalized);
            return true;
        } catch (EngineException e) {
            if (e.code() == EngineException.Code.CONFLICT) {
                return false; // another node created it first
            }
            LOG.error(
                    "Could not create console user {}: {} {}",
                    normalized,
                    e.getMessage(),
                    e.errors().stream().map(f -> f.field() + " " + f.message()).toList());
            return false;
        } catch (RuntimeException e) {
            LOG.error("Could not create console user {}", normalized, e);
            return false;
        }
    }

    /**
     * Waits (up to {@code timeout}) for the sandbox connector, then connects it for the default
     * organization: customer {@code demo-customer}, seed 42, 1000 records, syncing every minute.
     *
     * @return the new connection and its token; empty when the sandbox did not appear or could not
     *     be connected (logged)
     */
    static Optional<CreatedConnection> createSandbox(
            ConnectionService connections,
            ConnectorRegistry registry,
            Duration timeout,
            Duration step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (registry.find(SANDBOX).isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.info(
                        "The sandbox connector did not start within {} s; no demo connection was"
                                + " created",
                        timeout.toSeconds());
                return Optional.empty();
            }
            try {
                Thread.sleep(step.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("username", "demo");
        credentials.put("password", "sandbox");
        credentials.put("seed", "42");
        credentials.put("dataset_size", "1000");
        try {
            return Optional.of(
                    connections.create(
                            DEFAULT_ORG,
                            new NewConnection(
                                    SANDBOX,
                                    "demo-customer",
                                    "Sandbox",
                                    "cloud",
                                    credentials,
                                    new SyncSettings(
                                            SyncSettings.DEFAULT_INITIAL_DAYS, 60, Set.of()))));
        } catch (EngineException e) {
            LOG.warn(
                    "Could not create the sandbox demo connection ({}): {}",
                    e.code(),
                    e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("Could not create the sandbox demo connection", e);
            return Optional.empty();
        }
    }

    /** The first-start banner: console, admin key, the sandbox token and sample calls. */
    static String banner(String base, String shownKey, String curlKey, CreatedConnection sandbox) {
        StringBuilder b = new StringBuilder();
        b.append("\n================ Ironbridge is ready ================\n");
        b.append("Console:       ").append(base).append("/console/\n");
        b.append("Admin key:     ").append(shownKey).append('\n');
        b.append("               (shown once: store it now; only its hash is kept)\n");
        if (sandbox != null) {
            b.append("Sandbox token: ").append(sandbox.token()).append('\n');
            b.append("               (connection ")
                    .append(sandbox.connection().id())
                    .append(" to the sandbox, customer demo-customer; shown once)\n");
        } else {
            b.append("Sandbox:       not available; no demo connection was created\n");
        }
        b.append("Try:\n");
        b.append("  curl -H 'Authorization: Bearer ")
                .append(curlKey)
                .append("' ")
                .append(base)
                .append("/v1/admin/connections\n");
        if (sandbox != null) {
            b.append("  curl -H 'Authorization: Bearer ")
                    .append(sandbox.token())
                    .append("' '")
                    .append(base)
                    .append("/v1/purchase-orders?page_size=5'\n");
        }
        b.append("=====================================================\n");
        return b.toString();
    }

    /**
     * Shows the first-start banner, which holds a secret: on the terminal (never through the
     * logger, so it cannot reach the log files), or, when the server runs as a daemon whose output
     * goes to a file, in a private file ({@code ironbridge.banner.file}, mode 0600) that {@code
     * bin/ironbridge start} prints once and deletes.
     */
    static void show(BundleContext ctx, String banner) {
        String file = ctx.getProperty("ironbridge.banner.file");
        if (file == null || file.isBlank()) {
            System.out.println(banner);
            return;
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(file);
            java.nio.file.Files.deleteIfExists(p);
            java.nio.file.Files.createFile(
                    p,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            java.nio.file.Files.writeString(p, banner);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            LOG.warn("Could not write the first-start banner to {}; showing it on stdout", file);
            System.out.println(banner);
        }
    }

    static String baseUrl(BundleContext ctx) {
        String host = prop(ctx, "org.osgi.service.http.host", "127.0.0.1");
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + prop(ctx, "org.osgi.service.http.port", "8080");
    }

    private static String prop(BundleContext ctx, String name, String dflt) {
        String v = ctx.getProperty(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
