package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The embeddable connect page in a real headless Chromium against the assembled server (on
 * MariaDB): a customer picks the sandbox, is told in plain words that the password was rejected and
 * that the server did not answer, connects, and lands on the organization's redirect URL with a
 * one-time code that the organization exchanges for a working connection token; the same page
 * embedded in an iframe of another origin hands the code over by {@code postMessage}; expired and
 * used sessions and codes are refused. Screenshots go to {@code target/screenshots/connect-*.png}.
 */
public class ConnectFlowBrowserIT {
    private static BrowserHarness h;

    /** The organization's own app: another origin (another loopback address and port). */
    private static HttpServer app;

    private static volatile String iframeSrc = "about:blank";

    @Rule public final TestRule screenshotOnFailure = BrowserHarness.onFailure(() -> h);

    @BeforeClass
    public static void start() throws Exception {
        h = BrowserHarness.start("connect_browser");
        app = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        app.createContext(
                "/embed",
                x -> {
                    // the parent page: frames the connect page and writes each message it gets
                    String page =
                            "<!doctype html><html><head><title>Partner app</title></head><body>"
                                    + "<h1>Partner app</h1><iframe id=\"connect\" name=\"connect\""
                                    + " src=\""
                                    + iframeSrc
                                    + "\" style=\"width:640px;height:620px;border:1px solid"
                                    + " #999\"></iframe><pre id=\"messages\"></pre><script>"
                                    + "window.addEventListener('message', function (e) {"
                                    + " document.getElementById('messages').textContent +="
                                    + " JSON.stringify({origin: e.origin, data: e.data}) + '\\n';"
                                    + " });</script></body></html>";
                    respond(x, page);
                });
        app.createContext(
                "/done",
                x ->
                        respond(
                                x,
                                "<!doctype html><html><head><title>Connected</title></head>"
                                        + "<body><h1 id=\"landed\">Back in the partner app</h1>"
                                        + "</body></html>"));
        app.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange x, String page)
            throws java.io.IOException {
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (app != null) {
            app.stop(0);
        }
        if (h != null) {
            h.close();
        }
    }

    private static String appOrigin() {
        return "http://127.0.0.2:" + app.getAddress().getPort();
    }

    /** Opens a session with the admin key; returns its {token, url, expires_at}. */
    private static JsonNode openSession(String body) throws Exception {
        JsonNode s = h.api("POST", "/v1/admin/connect-sessions", h.adminKey(), body, 201);
        assertTrue(s.toString(), s.path("token").asText().startsWith("ibs_"));
        assertEquals(h.baseUrl() + "/connect/" + s.path("token").asText(), s.path("url").asText());
        return s;
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sets a time column of a session (by its token) to a second ago. */
    private static void age(String token, String column) throws Exception {
        try (Connection c = ServerProcess.jdbc(h.database);
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE connect_sessions SET "
                                        + column
                                        + " = ? WHERE token_hash = ?")) {
            ps.setLong(1, System.currentTimeMillis() * 1000 - 1_000_000);
            ps.setString(2, sha256(token));
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String pair : q == null ? new String[0] : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static WebElement $(String css) {
        return h.browser.visible(By.cssSelector(css));
    }

    private static void type(String field, String value) {
        WebElement input = $("#field-" + field);
        input.clear();
        input.sendKeys(value);
    }

    private static String text(String css) {
        return $(css).getText();
    }

    /** The text of an element now, shown or not (no waiting). */
    private static String content(String css) {
        return h.browser.driver.findElement(By.cssSelector(css)).getAttribute("textContent");
    }

    /** Submits the form and waits for the error box; returns its title. */
    private static String submitExpectingError() {
        WebDriver d = h.browser.driver;
        h.browser.script("document.getElementById('error').hidden = true");
        $("#submit").click();
        h.browser.await(
                30,
                x ->
                        x.findElement(By.id("error")).isDisplayed()
                                && x.findElement(By.id("submit")).isEnabled());
        return d.findElement(By.id("error-title")).getText();
    }

    /** Exchanges the code and checks the token on the unified data API; returns the connection. */
    private static JsonNode exchangeAndUse(String sessionToken, String code, String connectionId)
            throws Exception {
        JsonNode exchanged =
                h.api(
                        "POST",
                        "/v1/admin/connect-sessions/" + sessionToken + "/exchange",
                        h.adminKey(),
                        "{\"code\":\"" + code + "\"}",
                        200);
        assertEquals(connectionId, exchanged.path("connection").path("id").asText());
        String token = exchanged.path("token").asText();
        assertTrue(token, token.startsWith("ibt_"));
        JsonNode self = h.api("GET", "/v1/connection", token, null, 200);
        assertEquals(connectionId, self.path("id").asText());
        assertEquals("sandbox", self.path("system").asText());
        return self;
    }

    @Test
    public void aCustomerConnectsTheSandboxAndTheOrganizationGetsTheToken() throws Exception {
        JsonNode session =
                openSession(
                        "{\"customer_id\":\"acme-browser\",\"redirect_url\":\""
                                + appOrigin()
                                + "/done?tenant=7\"}");
        String token = session.path("token").asText();
        h.open(session.path("url").asText());

        // two systems are offered (sandbox and Tryton): pick the sandbox
        $("#step-choose");
        assertTrue(h.browser.driver.findElements(By.cssSelector("button.system")).size() >= 2);
        h.screenshot("connect-1-choose-system");
        $("button[data-system='sandbox']").click();
        assertEquals("Connect Sandbox ERP + CMMS", text("#form-title"));
        assertEquals("password", $("#field-password").getAttribute("type"));

        // live validation: required fields, then a number
        $("#submit").click();
        assertEquals("Please fill in Username.", text("#error-username"));
        assertEquals("Please fill in Password.", text("#error-password"));
        type("username", "maria");
        h.browser.await(5, d -> !d.findElement(By.id("error-username")).isDisplayed());
        $("#advanced summary").click();
        type("dataset_size", "lots");
        $("#field-dataset_size").sendKeys(Keys.TAB);
        assertTrue(text("#error-dataset_size"), text("#error-dataset_size").contains("number"));
        h.screenshot("connect-2-live-validation");
        type("dataset_size", "300");
        h.browser.await(5, d -> !d.findElement(By.id("error-dataset_size")).isDisplayed());

        // the source rejects the password: said in plain words, with the sandbox's own message
        type("password", "wrong");
        assertEquals("The password was rejected", submitExpectingError());
        assertTrue(
                text("#error-detail"), text("#error-detail").contains("rejected by the sandbox"));
        h.screenshot("connect-3-password-rejected");

        // the source does not answer
        type("password", "sandbox");
        new Select($("#field-outage")).selectByValue("true");
        assertEquals("The server did not answer", submitExpectingError());
        assertTrue(text("#error-detail"), text("#error-detail").contains("did not answer"));
        h.screenshot("connect-4-source-unavailable");

        // connected: back at the organization's app with the connection id and the code
        new Select($("#field-outage")).selectByValue("false");
        $("#submit").click();
        h.browser.await(30, d -> d.getCurrentUrl().startsWith(appOrigin() + "/done"));
        $("#landed");
        h.screenshot("connect-5-redirected");
        Map<String, String> q = query(h.browser.driver.getCurrentUrl());
        assertEquals("7", q.get("tenant"));
        String connectionId = q.get("connection_id");
        String code = q.get("code");
        assertTrue(connectionId, connectionId.startsWith("conn_"));
        assertNotNull(code);

        JsonNode connection = exchangeAndUse(token, code, connectionId);
        assertEquals("acme-browser", connection.path("customer_id").asText());

        // the code and the session are spent
        JsonNode reused =
                problem(
                        h.server.call(
                                "POST",
                                "/v1/admin/connect-sessions/" + token + "/exchange",
                                h.adminKey(),
                                "{\"code\":\"" + code + "\"}"),
                        422);
        assertEquals("code", reused.path("errors").get(0).path("field").asText());
        assertEquals(
                "was already exchanged", reused.path("errors").get(0).path("message").asText());
        HttpResponse<String> page = h.server.call("GET", "/connect/" + token, null, null);
        assertEquals(410, page.statusCode());
        h.open(session.path("url").asText());
        assertEquals("This link was already used", text("h1"));
        h.screenshot("connect-6-link-already-used");
    }

    @Test
    public void embeddedInAnIframeOfAnotherOriginThePageHandsTheCodeOverByPostMessage()
            throws Exception {
        JsonNode session =
                openSession("{\"customer_id\":\"acme-embedded\",\"systems\":[\"sandbox\"]}");
        String token = session.path("token").asText();
        HttpResponse<String> headers = h.server.call("GET", "/connect/" + token, null, null);
        assertEquals(200, headers.statusCode());
        assertFalse(
                "no X-Frame-Options", headers.headers().firstValue("X-Frame-Options").isPresent());
        String csp = headers.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("frame-ancestors *"));
        assertTrue(csp, csp.contains("script-src 'self'"));

        iframeSrc = session.path("url").asText();
        WebDriver d = h.open(appOrigin() + "/embed");
        h.browser.await(15, x -> content("#messages").contains("\"status\":\"ready\""));

        d.switchTo().frame("connect");
        // one system only: the form shows at once
        assertEquals("Connect Sandbox ERP + CMMS", text("#form-title"));
        type("username", "embedded-user");
        type("password", "sandbox");
        $("#submit").click();
        $("#step-done");
        d.switchTo().defaultContent();
        h.browser.await(30, x -> content("#messages").contains("\"status\":\"connected\""));
        h.screenshot("connect-7-embedded-connected");

        JsonNode message = null;
        for (String line : content("#messages").split("\n")) {
            JsonNode m = BrowserHarness.JSON.readTree(line);
            if ("connected".equals(m.path("data").path("status").asText())) {
                message = m;
            }
        }
        assertNotNull(message);
        assertEquals(
                "the message comes from the server's origin",
                h.baseUrl(),
                message.path("origin").asText());
        JsonNode data = message.path("data");
        assertEquals("ironbridge:connect", data.path("type").asText());
        assertEquals("sandbox", data.path("system").asText());
        assertTrue(data.path("redirect_url").isNull());
        assertTrue(
                "the page stays in the frame",
                d.getCurrentUrl().startsWith(appOrigin() + "/embed"));
        exchangeAndUse(token, data.path("code").asText(), data.path("connection_id").asText());
    }

    @Test
    public void expiredUnknownAndUsedSessionsAndCodesAreRefused() throws Exception {
        // an expired link: a friendly page, and the API refuses the token
        JsonNode expired = openSession("{\"customer_id\":\"late\"}");
        String expiredToken = expired.path("token").asText();
        age(expiredToken, "expires_at");
        HttpResponse<String> gone = h.server.call("GET", "/connect/" + expiredToken, null, null);
        assertEquals(410, gone.statusCode());
        assertTrue(gone.body(), gone.body().contains("This link has expired"));
        assertFalse(gone.body(), gone.body().contains("Exception"));
        h.open(expired.path("url").asText());
        assertEquals("This link has expired", text("h1"));
        h.screenshot("connect-8-link-expired");
        assertEquals(
                "token_invalid",
                problem(h.server.call("GET", "/v1/connect/systems", expiredToken, null), 401)
                        .path("code")
                        .asText());

        // an unknown link
        h.open("/connect/ibs_NoSuchSession000000000000000000");
        assertEquals("This link is not valid", text("h1"));
        assertEquals(
                404,
                h.server
                        .call("GET", "/connect/ibs_NoSuchSession000000000000000000", null, null)
                        .statusCode());

        // a session that expires while its page is open
        JsonNode open = openSession("{\"customer_id\":\"slow\",\"systems\":[\"sandbox\"]}");
        h.open(open.path("url").asText());
        type("username", "slow-user");
        type("password", "sandbox");
        age(open.path("token").asText(), "expires_at");
        $("#submit").click();
        assertEquals("This link has expired", text("#fatal-title"));
        h.screenshot("connect-9-expired-while-open");

        // a code that is not exchanged in time
        JsonNode late = openSession("{\"customer_id\":\"late-code\",\"systems\":[\"sandbox\"]}");
        String lateToken = late.path("token").asText();
        JsonNode connected =
                h.api(
                        "POST",
                        "/v1/connect/connections",
                        lateToken,
                        "{\"system\":\"sandbox\",\"credentials\":{\"username\":\"u\","
                                + "\"password\":\"sandbox\"}}",
                        201);
        assertTrue(connected.path("redirect_url").isNull());
        // the session is spent
        assertEquals(
                401, h.server.call("GET", "/v1/connect/systems", lateToken, null).statusCode());
        age(lateToken, "code_expires_at");
        JsonNode refused =
                problem(
                        h.server.call(
                                "POST",
                                "/v1/admin/connect-sessions/" + lateToken + "/exchange",
                                h.adminKey(),
                                "{\"code\":\"" + connected.path("code").asText() + "\"}"),
                        422);
        assertTrue(
                refused.toString(),
                refused.path("errors").get(0).path("message").asText().startsWith("has expired"));
    }

    /** The problem document of a response with the given status. */
    private static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        return BrowserHarness.JSON.readTree(r.body());
    }
}
