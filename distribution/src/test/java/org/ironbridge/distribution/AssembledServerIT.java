package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Boots exactly the bundle set the distribution ships (Pax Exam, Felix) and checks it from the
 * outside, over HTTP: every bundle active, ready answers 200, errors are problem documents, the
 * OSGi console wants an admin key, the web console logs in with a session cookie that needs its
 * CSRF token, and a connector bundle dropped into the deploy folder appears in the admin API and
 * disappears when removed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AssembledServerIT {
    private static final String DEPLOY_PROPERTY = "felix.fileinstall.dir";
    private static final String CONSOLE_USER = "ops@example.com";
    private static final String CONSOLE_PASSWORD = "integration test password";

    @Inject private BundleContext ctx;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws IOException {
        return Distribution.options(
                Distribution.tempDirectory("ironbridge-it-deploy"),
                java.util.Map.of(
                        "IRONBRIDGE_CONSOLE_USER", CONSOLE_USER,
                        "IRONBRIDGE_CONSOLE_PASSWORD", CONSOLE_PASSWORD));
    }

    private String base() {
        return "http://127.0.0.1:" + ctx.getProperty("org.osgi.service.http.port");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get("/health/ready", null);
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // Jetty not up yet
            }
            Thread.sleep(200);
        }
        fail(
                "not ready within 60 s; last answer: "
                        + (last == null ? "none" : last.statusCode() + " " + last.body()));
        return null;
    }

    @Test
    public void everyShippedBundleIsActiveAndTheServerIsReady() throws Exception {
        HttpResponse<String> ready = awaitReady();
        assertTrue(ready.body(), ready.body().contains("\"status\":\"ready\""));
        List<String> notActive = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        for (String core :
                List.of(
                        "org.ironbridge.api",
                        "org.ironbridge.model",
                        "org.ironbridge.store",
                        "org.ironbridge.engine",
                        "org.ironbridge.rest",
                        "org.ironbridge.console")) {
            assertTrue(
                    core + " is installed",
                    List.of(ctx.getBundles()).stream()
                            .anyMatch(b -> b.getSymbolicName().equals(core)));
        }
    }

    @Test
    public void errorsAreProblemDocumentsWithRequestIds() throws Exception {
        awaitReady();
        HttpResponse<String> missing = get("/v1/admin/connectors", null);
        assertEquals(401, missing.statusCode());
        assertEquals(
                "application/problem+json",
                missing.headers().firstValue("Content-Type").orElse(""));
        assertTrue(missing.body(), missing.body().contains("\"code\":\"token_missing\""));
        String id = missing.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(missing.body(), missing.body().contains("\"request_id\":\"" + id + "\""));

        HttpResponse<String> wrong =
                get("/v1/admin/connectors", "ibt_ThisIsAConnectionTokenNotAKey");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body(), wrong.body().contains("\"code\":\"token_invalid\""));

        HttpResponse<String> nowhere = get("/v1/no-such-thing", null);
        assertEquals(404, nowhere.statusCode());
        assertTrue(nowhere.body(), nowhere.body().contains("\"code\":\"not_found\""));
        assertFalse(nowhere.body(), nowhere.body().contains("Exception"));

        HttpResponse<String> kept =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/health/live"))
                                .header("X-Request-Id", "client-id.1")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals("client-id.1", kept.headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    public void theOsgiConsoleNeedsAnAdminKey() throws Exception {
        awaitReady();
        HttpResponse<String> anonymous = get("/system/console/bundles", null);
        assertEquals(401, anonymous.statusCode());
        String defaults = java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes());
        HttpResponse<String> adminAdmin =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/system/console/bundles"))
                                .header("Authorization", "Basic " + defaults)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals("admin/admin must never work", 401, adminAdmin.statusCode());
        String key =
                java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + Distribution.ADMIN_KEY).getBytes());
        HttpResponse<String> withKey =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/system/console/bundles"))
                                .header("Authorization", "Basic " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withKey.statusCode());
    }

    @Test
    public void aConnectorDroppedIntoDeployAppearsAndDisappears() throws Exception {
        awaitReady();
        Path deploy = Paths.get(ctx.getProperty(DEPLOY_PROPERTY));
        List<Path> connectors = Distribution.shippedConnectors();
        assertFalse("the distribution ships connectors in deploy/", connectors.isEmpty());
        Path sandbox =
                connectors.stream()
                        .filter(p -> p.getFileName().toString().contains("sandbox"))
                        .findFirst()
                        .orElseThrow();

        assertFalse(connectorsBody().contains("\"system\":\"sandbox\""));
        Path dropped = deploy.resolve(sandbox.getFileName());
        Files.copy(sandbox, dropped);
        long t0 = System.nanoTime();
        awaitConnectors(true);
        long appearedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("appeared in " + appearedMs + " ms", appearedMs < 10_000);

        Files.delete(dropped);
        awaitConnectors(false);
    }

    @Test
    public void aConnectorUploadedThroughTheAdminApiIsInstalledAndCanBeRemoved() throws Exception {
        awaitReady();
        Path deploy = Paths.get(ctx.getProperty(DEPLOY_PROPERTY));
        Path sandbox =
                Distribution.shippedConnectors().stream()
                        .filter(p -> p.getFileName().toString().contains("sandbox"))
                        .findFirst()
                        .orElseThrow();
        assertFalse(connectorsBody().contains("\"system\":\"sandbox\""));

        String boundary = "ironbridge-" + System.nanoTime();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"bundle\";"
                                + " filename=\"sandbox.jar\"\r\nContent-Type:"
                                + " application/java-archive\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail =
                ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(head);
        body.write(Files.readAllBytes(sandbox));
        body.write(tail);
        HttpResponse<String> installed =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/v1/admin/connectors"))
                                .header("Authorization", "Bearer " + Distribution.ADMIN_KEY)
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(installed.body(), 201, installed.statusCode());
        assertTrue(installed.body(), installed.body().contains("\"system\":\"sandbox\""));
        assertTrue(connectorsBody().contains("\"system\":\"sandbox\""));
        assertTrue(
                "kept in deploy/",
                Files.exists(deploy.resolve("org.ironbridge.connector.sandbox.jar")));

        HttpResponse<String> removed =
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/v1/admin/connectors/sandbox"))
                                .header("Authorization", "Bearer " + Distribution.ADMIN_KEY)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(removed.body(), 204, removed.statusCode());
        assertFalse(connectorsBody().contains("\"system\":\"sandbox\""));
        assertFalse(Files.exists(deploy.resolve("org.ironbridge.connector.sandbox.jar")));
    }

    private String connectorsBody() throws Exception {
        HttpResponse<String> r = get("/v1/admin/connectors", Distribution.ADMIN_KEY);
        assertEquals(r.body(), 200, r.statusCode());
        return r.body();
    }

    private void awaitConnectors(boolean present) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (connectorsBody().contains("\"system\":\"sandbox\"") == present) {
                return;
            }
            Thread.sleep(100);
        }
        fail(
                "sandbox connector "
                        + (present ? "did not appear" : "did not disappear")
                        + " within 15 s");
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(
                b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path));
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String field(String body, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(body);
        assertTrue(name + " in " + body, m.find());
        return m.group(1);
    }

    @Test
    public void theConsoleLogsInWithASessionCookieThatNeedsItsCsrfToken() throws Exception {
        awaitReady();
        HttpResponse<String> login =
                send(
                        request("/v1/console/session")
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                json(
                                                        "{'admin_key':'"
                                                                + Distribution.ADMIN_KEY
                                                                + "'}"))));
        assertEquals(login.body(), 200, login.statusCode());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.startsWith("ironbridge_session=ibc_"));
        for (String attribute : List.of("Path=/", "HttpOnly", "SameSite=Strict")) {
            assertTrue(setCookie, setCookie.contains("; " + attribute));
        }
        assertFalse("not over HTTPS: " + setCookie, setCookie.contains("Secure"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = field(login.body(), "csrf_token");

        HttpResponse<String> connectors =
                send(request("/v1/admin/connectors").header("Cookie", cookie));
        assertEquals(connectors.body(), 200, connectors.statusCode());

        String newUser = json("{'email':'second@example.com','password':'another long password'}");
        HttpResponse<String> noCsrf =
                send(
                        request("/v1/admin/console-users")
                                .header("Cookie", cookie)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(newUser)));
        assertEquals(noCsrf.body(), 403, noCsrf.statusCode());
        assertTrue(noCsrf.body(), noCsrf.body().contains("\"code\":\"csrf_token_invalid\""));
        HttpResponse<String> created =
                send(
                        request("/v1/admin/console-users")
                                .header("Cookie", cookie)
                                .header("X-CSRF-Token", csrf)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(newUser)));
        assertEquals(created.body(), 201, created.statusCode());

        // the console user of IRONBRIDGE_CONSOLE_USER, created in the background at start
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!get("/v1/admin/console-users", Distribution.ADMIN_KEY)
                .body()
                .contains(CONSOLE_USER)) {
            assertTrue("the bootstrap console user appears", System.nanoTime() < deadline);
            Thread.sleep(200);
        }
        HttpResponse<String> userLogin =
                send(
                        request("/v1/console/session")
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-Proto", "https")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                json(
                                                        "{'email':'"
                                                                + CONSOLE_USER
                                                                + "','password':'"
                                                                + CONSOLE_PASSWORD
                                                                + "'}"))));
        assertEquals(userLogin.body(), 200, userLogin.statusCode());
        assertTrue(
                userLogin.body(), userLogin.body().contains("\"email\":\"" + CONSOLE_USER + "\""));
        assertTrue(userLogin.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"));

        HttpResponse<String> logout =
                send(
                        request("/v1/console/session")
                                .header("Cookie", cookie)
                                .header("X-CSRF-Token", csrf)
                                .DELETE());
        assertEquals(logout.body(), 204, logout.statusCode());
        assertTrue(logout.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        HttpResponse<String> after = send(request("/v1/admin/connectors").header("Cookie", cookie));
        assertEquals(after.body(), 401, after.statusCode());
        assertTrue(after.body(), after.body().contains("\"code\":\"token_invalid\""));
    }
}
