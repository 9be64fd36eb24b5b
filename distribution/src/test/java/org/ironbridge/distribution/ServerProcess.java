package org.ironbridge.distribution;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The assembled server as a real child process ({@code bin/ironbridge run}, which execs the JVM),
 * for tests that kill it with {@code kill -9} or run two of them on one MariaDB database.
 */
final class ServerProcess implements AutoCloseable {
    static final String ADMIN_KEY = "ibk_ProcessTestAdminKey0123456789";

    /** One master key for every process of a test, so that they read each other's credentials. */
    static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final int port;
    final Path data;
    private final Path dist;
    private final String dbUrl;
    private String extraJavaOpts = "";
    private Process process;

    ServerProcess(String name, Path data, String dbUrl) throws IOException {
        this.name = name;
        this.dist = Path.of(System.getProperty("ironbridge.dist", "target/ironbridge"));
        this.data = data;
        this.dbUrl = dbUrl;
        this.port = freePort();
    }

    /** A fresh MariaDB database named with {@code -Dironbridge.test.db.prefix}; its JDBC URL. */
    static String freshDatabase(String name) throws Exception {
        String base =
                System.getProperty("ironbridge.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
        String db = System.getProperty("ironbridge.test.db.prefix", "ib_test_") + name;
        Class.forName("org.mariadb.jdbc.Driver");
        try (Connection c = DriverManager.getConnection(base, "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return base + db;
    }

    static Connection jdbc(String url) throws Exception {
        return DriverManager.getConnection(url, "root", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Adds JVM options (e.g. {@code -Dironbridge.circuit.open_wait_seconds=2}) for the start. */
    ServerProcess javaOpts(String options) {
        this.extraJavaOpts = " " + options;
        return this;
    }

    /** The same as {@link #javaOpts}. */
    ServerProcess javaOptions(String options) {
        return javaOpts(options);
    }

    /** Starts the server and waits until it is ready. */
    ServerProcess start() throws Exception {
        Files.createDirectories(data);
        ProcessBuilder pb =
                new ProcessBuilder(dist.resolve("bin/ironbridge").toString(), "run")
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        data.resolve("console-" + name + ".out").toFile()));
        Map<String, String> env = pb.environment();
        env.put("IRONBRIDGE_DATA", data.toString());
        env.put("IRONBRIDGE_HTTP_PORT", Integer.toString(port));
        env.put("IRONBRIDGE_HTTP_HOST", "127.0.0.1");
        env.put("IRONBRIDGE_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
        env.put("IRONBRIDGE_MASTER_KEY", MASTER_KEY);
        env.put("IRONBRIDGE_DB_URL", dbUrl);
        env.put("IRONBRIDGE_DB_USER", "root");
        env.put("IRONBRIDGE_DB_PASSWORD", "");
        // bin/ironbridge's defaults, plus this node's name (seen in sync_runs.node)
        env.put(
                "IRONBRIDGE_JAVA_OPTS",
                "-Xms128m -Xmx256m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"
                        + " -XX:MaxMetaspaceSize=160m -XX:+ExitOnOutOfMemoryError"
                        + " -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000"
                        + " -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
                        + " -Dironbridge.node.name="
                        + name
                        + extraJavaOpts);
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        name
                                + " exited during start; see "
                                + data.resolve("console-" + name + ".out"));
            }
            try {
                if (call("GET", "/health/ready", null, null).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not ready within 90 s");
            }
            Thread.sleep(200);
        }
        // bin/ironbridge run execs java: the child process is the JVM itself
        String command = process.info().command().orElse("");
        if (!command.endsWith("java")) {
            throw new AssertionError(name + " is not the JVM but " + command);
        }
        return this;
    }

    /** {@code kill -9}: the JVM dies at once, without any shutdown. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    HttpResponse<String> call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return call(method, path, token, body, java.util.Map.of());
    }

    /** {@link #call(String, String, String, String)} with extra request headers. */
    HttpResponse<String> call(
            String method,
            String path,
            String token,
            String body,
            java.util.Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server cleanly (SIGTERM), or kills it after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
