package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.rules.TestRule;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.openqa.selenium.WebDriver;

/**
 * What a browser test of the assembled server needs: the real server as a child process ({@link
 * ServerProcess}, {@code bin/ironbridge run}) on a fresh MariaDB database, its admin key, and a
 * headless Chromium ({@link Browser}). Start one per test class; it stops both when closed.
 *
 * <pre>{@code
 * try (BrowserHarness h = BrowserHarness.start("console")) {
 *     h.open("/console/");
 *     h.screenshot("console-login");
 *     JsonNode connectors = h.api("GET", "/v1/admin/connectors", h.adminKey(), null, 200);
 * }
 * }</pre>
 */
final class BrowserHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final ServerProcess server;
    final Browser browser;

    /** The server's MariaDB database (JDBC URL), for tests that look into it or age its rows. */
    final String database;

    private BrowserHarness(ServerProcess server, Browser browser, String database) {
        this.server = server;
        this.browser = browser;
        this.database = database;
    }

    /**
     * Starts the server (on a fresh database named after {@code name}) and a browser, and waits
     * until the sandbox connector is installed.
     */
    static BrowserHarness start(String name) throws Exception {
        Browser.requireInstalled(); // fail before spending a server start
        String db = ServerProcess.freshDatabase(name);
        Path data = Distribution.tempDirectory("ironbridge-" + name + "-");
        ServerProcess server = new ServerProcess(name, data, db).start();
        Browser browser = null;
        try {
            browser = Browser.start();
            BrowserHarness h = new BrowserHarness(server, browser, db);
            h.awaitConnector("sandbox");
            return h;
        } catch (Exception | Error e) {
            if (browser != null) {
                browser.close();
            }
            server.close();
            throw e;
        }
    }

    /** The admin API key of the default organization. */
    String adminKey() {
        return ServerProcess.ADMIN_KEY;
    }

    /** {@code http://127.0.0.1:<port>}: the server's origin. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port;
    }

    /** Opens a page of the server ({@code /console/}) or any absolute URL. */
    WebDriver open(String pathOrUrl) {
        return browser.open(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl);
    }

    /** Saves {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        return browser.screenshot(name);
    }

    /** Calls the API, checks the status, and returns the JSON body (null when there is none). */
    JsonNode api(String method, String path, String token, String body, int status)
            throws Exception {
        HttpResponse<String> r = server.call(method, path, token, body);
        assertEquals(method + " " + path + ": " + r.body(), status, r.statusCode());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    /** Waits until a connector is installed (the deploy folder is read after the start). */
    void awaitConnector(String system) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!server.call("GET", "/v1/admin/connectors", adminKey(), null)
                .body()
                .contains("\"system\":\"" + system + "\"")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("connector " + system + " not installed within 60 s");
            }
            Thread.sleep(200);
        }
    }

    /**
     * A JUnit rule that saves {@code target/screenshots/FAILED-<test>.png} and the page's HTML
     * beside it when a test fails: {@code @Rule public TestRule shots = h.onFailure();} (or {@code
     * BrowserHarness.onFailure(() -> h)} when the harness starts in {@code @BeforeClass}).
     */
    static TestRule onFailure(java.util.function.Supplier<BrowserHarness> harness) {
        return new TestWatcher() {
            @Override
            protected void failed(Throwable e, Description d) {
                BrowserHarness h = harness.get();
                if (h == null) {
                    return;
                }
                try {
                    Path png = h.screenshot("FAILED-" + d.getMethodName());
                    java.nio.file.Files.writeString(
                            png.resolveSibling("FAILED-" + d.getMethodName() + ".html"),
                            h.browser.driver.getPageSource());
                } catch (Exception | Error ignored) {
                    // the browser itself may be what failed
                }
            }
        };
    }

    @Override
    public void close() throws Exception {
        try {
            browser.close();
        } finally {
            server.close();
        }
    }
}
