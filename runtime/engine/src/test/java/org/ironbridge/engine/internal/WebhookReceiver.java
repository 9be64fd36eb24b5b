package org.ironbridge.engine.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP receiver of webhooks on a free port of 127.0.0.1 (the JDK's HTTP server): records
 * every request and answers with the statuses it is told, in order, then 204.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(Map<String, String> headers, String body, long nanoTime) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private volatile int defaultStatus = 204;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext(
                "/",
                exchange -> {
                    byte[] bytes;
                    try (InputStream in = exchange.getRequestBody()) {
                        bytes = in.readAllBytes();
                    }
                    Map<String, String> headers = new HashMap<>();
                    exchange.getRequestHeaders()
                            .forEach(
                                    (k, v) ->
                                            headers.put(
                                                    k.toLowerCase(Locale.ROOT),
                                                    String.join(",", v)));
                    received.add(
                            new Received(
                                    headers,
                                    new String(bytes, StandardCharsets.UTF_8),
                                    System.nanoTime()));
                    Integer status = statuses.poll();
                    int s = status == null ? defaultStatus : status;
                    exchange.sendResponseHeaders(s, -1);
                    exchange.close();
                });
        server.start();
    }

    /** The URL to register. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The next requests are answered with these statuses, in order. */
    void answer(int... next) {
        for (int s : next) {
            statuses.add(s);
        }
    }

    void answerAlways(int status) {
        defaultStatus = status;
    }

    /** The requests of one event type, in arrival order. */
    List<Received> ofType(String type) {
        List<Received> out = new ArrayList<>();
        synchronized (received) {
            for (Received r : received) {
                if (r.body().contains("\"type\":\"" + type + "\"")) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + max.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
