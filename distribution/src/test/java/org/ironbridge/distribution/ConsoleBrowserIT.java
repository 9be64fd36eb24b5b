package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web console in a real headless Chromium against the assembled server (on MariaDB), page by
 * page, as an operator uses it: log in with the admin key and as a console user; watch a sandbox
 * connection's initial sync progress to done; find a failed request by its request id and see the
 * source call behind it; replay a webhook delivery; remove a connector and hot-install it again by
 * upload; disconnect a connection and see its status change. Every page is saved as a screenshot in
 * {@code target/screenshots/console-*.png}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleBrowserIT {
    private static final String USER = "operator@example.com";
    private static final String PASSWORD = "correct horse battery staple";

    private static BrowserHarness h;

    /** A webhook receiver that fails until told otherwise. */
    private static HttpServer receiver;

    private static final AtomicInteger received = new AtomicInteger();
    private static volatile int answer = 500;

    @Rule public final TestRule screenshotOnFailure = BrowserHarness.onFailure(() -> h);

    @BeforeClass
    public static void start() throws Exception {
        h = BrowserHarness.start("console_browser");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hooks",
                x -> {
                    x.getRequestBody().readAllBytes();
                    received.incrementAndGet();
                    x.sendResponseHeaders(answer, -1);
                    x.close();
                });
        receiver.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (h != null) {
            h.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static WebElement visible(String css) {
        return h.browser.visible(By.cssSelector(css));
    }

    private static String text(String css) {
        return h.browser.text(By.cssSelector(css));
    }

    private static void click(String css) {
        h.browser.click(By.cssSelector(css));
    }

    private static void awaitText(int seconds, String css, String expected) {
        h.browser.await(
                seconds,
                d -> {
                    List<WebElement> found = d.findElements(By.cssSelector(css));
                    return !found.isEmpty() && found.get(0).getText().contains(expected);
                });
    }

    private static void go(String hash) {
        h.browser.script("location.hash = arguments[0];", hash);
    }

    private static void acceptConfirm() {
        h.browser.await(5, d -> d.switchTo().alert()).accept();
    }

    private static void loginWithKey() {
        h.open("/console/");
        visible("#key").sendKeys(h.adminKey());
        click("#login-button");
        visible("#status-counts .card");
    }

    private static JsonNode createSandbox(String customer, String extra) throws Exception {
        return h.api(
                "POST",
                "/v1/admin/connections",
                h.adminKey(),
                "{\"system\":\"sandbox\",\"customer_id\":\""
                        + customer
                        + "\",\"credentials\":{\"username\":\"u\",\"password\":\"sandbox\""
                        + extra
                        + "}}",
                201);
    }

    /** Every test but the first starts logged in with the admin key (tests may run alone). */
    @org.junit.Before
    public void loggedIn() {
        if (!h.browser.driver.getCurrentUrl().contains("/console/")) {
            h.open("/console/");
        }
        h.browser.await(
                15,
                d ->
                        d.findElement(By.id("login-section")).isDisplayed()
                                || d.findElement(By.id("nav")).isDisplayed());
        if (h.browser.driver.findElement(By.id("login-section")).isDisplayed()) {
            visible("#key").sendKeys(h.adminKey());
            click("#login-button");
            visible("#nav");
        }
    }

    // ------------------------------------------------------------------ pages

    @Test
    public void a_logsInWithTheAdminKeyAndAsAConsoleUserAndOut() throws Exception {
        // the shared @Before logged in (the navigation is showing): start this test logged out
        click("#logout");
        visible("#key").sendKeys("ibk_thisIsNotTheKey0000000000000");
        click("#login-button");
        awaitText(15, "#login-error", "not accepted");
        h.screenshot("console-01-login-refused");

        visible("#key").clear();
        loginWithKey();
        assertTrue(text("#who").contains("admin key"));
        h.screenshot("console-02-overview");

        // a console user, created through the admin API, logs in with email and password
        h.api(
                "POST",
                "/v1/admin/console-users",
                h.adminKey(),
                "{\"email\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}",
                201);
        click("#logout");
        visible("#login-section");
        click(".tab[data-tab=user]");
        visible("#email").sendKeys(USER);
        visible("#password").sendKeys(PASSWORD);
        click("#login-button");
        visible("#status-counts .card");
        assertTrue(text("#who").contains(USER));
        // the session survives a reload (the cookie), and the key is not in the page's URL
        h.browser.driver.navigate().refresh();
        visible("#status-counts .card");
        assertFalse(h.browser.driver.getCurrentUrl().contains("ibk_"));
        click("#logout");
        visible("#login-section");
        loginWithKey();
    }

    @Test
    public void b_watchesAnInitialSyncProgressToDone() throws Exception {
        // big and slow enough that the initial sync runs for a while: all of 20,000 purchase
        // orders' history (not just the last 90 days), 500 ms per call to the sandbox
        JsonNode created =
                h.api(
                        "POST",
                        "/v1/admin/connections",
                        h.adminKey(),
                        "{\"system\":\"sandbox\",\"customer_id\":\"progress-customer\","
                                + "\"credentials\":{\"username\":\"u\",\"password\":\"sandbox\","
                                + "\"dataset_size\":\"20000\",\"latency_ms\":\"500\","
                                + "\"activity_per_minute\":\"0\"},"
                                + "\"sync\":{\"initial_days\":0}}",
                        201);
        String id = created.at("/connection/id").asText();
        go("#/connections/" + id);
        visible("#sync-history");
        // a running initial sync with a progress bar (read in one script: the table is redrawn
        // every two seconds)
        long first =
                h.browser.await(
                        60,
                        d -> {
                            Object v =
                                    h.browser.script(
                                            "var p = document.querySelector("
                                                    + "'#sync-history tr[data-status=running] progress');"
                                                    + " return p ? p.value : null;");
                            return v == null ? null : ((Number) v).longValue();
                        });
        h.screenshot("console-03-connection-syncing");
        go("#/");
        visible("#running-syncs progress");
        h.screenshot("console-04-overview-syncs-running");
        go("#/connections/" + id);
        visible("#sync-history");
        // ... and every entity's initial sync done
        h.browser.await(
                240,
                d ->
                        Boolean.TRUE.equals(
                                h.browser.script(
                                        "var rows = document.querySelectorAll('#sync-history tbody tr');"
                                                + " return rows.length > 0 && Array.from(rows).every("
                                                + "r => r.dataset.status === 'succeeded');")));
        assertTrue("progress was shown below 100 %: " + first, first < 100);
        h.screenshot("console-05-connection-synced");
    }

    @Test
    public void c_findsAFailedRequestByItsIdAndTheSourceCallBehindIt() throws Exception {
        // connecting the real Tryton with a wrong password: the request fails with
        // credentials_rejected, after the connector's login call to Tryton
        String requestId = "console-it-" + System.nanoTime();
        var r =
                h.server.call(
                        "POST",
                        "/v1/admin/connections",
                        h.adminKey(),
                        "{\"system\":\"tryton\",\"customer_id\":\"logs-customer\","
                                + "\"credentials\":{\"url\":\""
                                + ConnectorsEndToEndIT.TRYTON_URL
                                + "\",\"database\":\""
                                + ConnectorsEndToEndIT.TRYTON_DB
                                + "\",\"username\":\"admin\",\"password\":\"not-the-password\"}}",
                        java.util.Map.of("X-Request-Id", requestId));
        assertEquals(r.body(), 422, r.statusCode());
        assertTrue(r.body(), r.body().contains("credentials_rejected"));

        go("#/logs");
        visible("#log-filters input[name=q]").sendKeys(requestId);
        click("#log-filters button");
        h.browser.await(
                30,
                d -> {
                    // the log is written asynchronously: search again until it is there
                    if (d.findElements(
                                    By.cssSelector(
                                            "#log-list tr[data-request-id='" + requestId + "']"))
                            .isEmpty()) {
                        d.findElement(By.cssSelector("#log-filters button")).click();
                        return false;
                    }
                    return true;
                });
        h.screenshot("console-06-logs-search");
        click("#log-list tr[data-request-id='" + requestId + "'] a");
        awaitText(15, "#entry-request-id", requestId);
        // the login call to Tryton behind it, and no trace of the password
        assertTrue(text("#source-calls").contains("127.0.0.1:8765"));
        assertTrue(text("#log-entry").contains("credentials_rejected"));
        assertFalse(text("#log-entry").contains("not-the-password"));
        h.screenshot("console-07-log-entry");
    }

    @Test
    public void d_replaysAWebhookDelivery() throws Exception {
        go("#/webhooks");
        visible("#webhook-url")
                .sendKeys("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
        click("#webhook-form button[type=submit]");
        String secret = text("#webhook-secret");
        assertTrue(secret, secret.startsWith("whsec_"));
        h.screenshot("console-08-webhook-created");
        click("#webhook-list tbody tr a");
        visible("#delivery-list, #webhook .empty");

        // an event: a new connection; the receiver fails it
        createSandbox("webhook-customer", "");
        h.browser.await(
                60,
                d -> !d.findElements(By.cssSelector("#delivery-list tr[data-status]")).isEmpty());
        h.browser.await(30, d -> received.get() > 0);
        int before = received.get();
        answer = 204;
        click("#delivery-list button.replay");
        h.browser.await(60, d -> received.get() > before);
        h.browser.await(
                30,
                d ->
                        !d.findElements(By.cssSelector("#delivery-list tr[data-status=succeeded]"))
                                .isEmpty());
        h.screenshot("console-09-webhook-replayed");
    }

    @Test
    public void e_removesAConnectorAndHotInstallsItByUpload() throws Exception {
        Path tryton =
                Distribution.shippedConnectors().stream()
                        .filter(p -> p.getFileName().toString().contains("tryton"))
                        .findFirst()
                        .orElseThrow();
        // the server runs from the distribution's own tree: keep the shipped jar and put it back
        Path copy = java.nio.file.Files.createTempFile("tryton-", ".jar");
        java.nio.file.Files.copy(tryton, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            removeAndUpload(copy);
        } finally {
            if (!java.nio.file.Files.exists(tryton)) {
                h.server.call("DELETE", "/v1/admin/connectors/tryton", h.adminKey(), null);
                java.nio.file.Files.copy(copy, tryton);
                h.awaitConnector("tryton");
            }
            java.nio.file.Files.delete(copy);
        }
    }

    private static void removeAndUpload(Path tryton) throws Exception {
        go("#/connectors");
        click("#connector-list tr[data-system=tryton] button.remove");
        acceptConfirm();
        h.browser.await(
                30,
                d ->
                        d.findElements(By.cssSelector("#connector-list tr[data-system=tryton]"))
                                .isEmpty());
        h.screenshot("console-10-connector-removed");

        visible("#bundle-file").sendKeys(tryton.toAbsolutePath().toString());
        click("#upload-button");
        h.browser.await(
                60,
                d ->
                        !d.findElements(By.cssSelector("#connector-list tr[data-system=tryton]"))
                                .isEmpty());
        h.screenshot("console-11-connector-uploaded");
    }

    @Test
    public void f_disconnectsAConnectionAndSeesItsStatusChange() throws Exception {
        JsonNode created = createSandbox("disconnect-customer", "");
        String id = created.at("/connection/id").asText();
        go("#/connections/" + id);
        click("#disconnect");
        acceptConfirm();
        h.browser.await(
                30,
                d ->
                        !d.findElements(By.cssSelector("#connection h2 [data-status=disconnected]"))
                                .isEmpty());
        visible("#purge");
        assertTrue(text("#status-timeline").contains("disconnected"));
        h.screenshot("console-12-connection-disconnected");
        // the token stopped working at once
        var r = h.server.call("GET", "/v1/connection", created.get("token").asText(), null);
        assertEquals(401, r.statusCode());

        go("#/connections?status=disconnected");
        visible("#connection-list tr[data-id='" + id + "']");
        h.screenshot("console-13-connections-filtered");
        go("#/credits");
        visible("#credits-available");
        h.screenshot("console-14-credits");
    }
}
