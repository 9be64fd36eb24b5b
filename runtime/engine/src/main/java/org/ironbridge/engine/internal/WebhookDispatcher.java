package org.ironbridge.engine.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ironbridge.store.WebhookRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due deliveries: claims them through the database (so that of several nodes on
 * one database each delivery is sent by one), POSTs them signed, concurrently with the JDK's
 * HttpClient (keep-alive connections), and records each attempt with its next retry.
 *
 * <p>One thread claims: when woken right after a transaction wrote events on this node, and every
 * {@code poll} otherwise (retries that became due, deliveries of other nodes, and those whose node
 * died: a claim is a lease that ends after {@code lease}, when the delivery is due again). At most
 * {@code workers} requests are in flight, at most {@code perEndpoint} of them to one endpoint. One
 * more thread writes the attempts, many per transaction.
 *
 * <p>A 2xx answer within {@code timeout} succeeds; anything else is retried after about 1, 4, 20,
 * 120 and 720 times {@code retryBase} (30 s, 2 min, 10 min, 1 h, 6 h by default), then every 1440
 * times (12 h), with ±10% jitter, until {@code retryFor} (3 days) after the delivery was created;
 * then the delivery has failed. Delivery is at least once: a node that dies after sending and
 * before recording sends again (with the same {@code webhook-id}).
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final long[] BACKOFF = {1, 4, 20, 120, 720, 1440};
    private static final int RECORD_BATCH = 500;
    private static final String USER_AGENT = "Ironbridge-Webhooks/1";

    /**
     * How deliveries are sent.
     *
     * @param workers requests in flight at most, on this node
     * @param perEndpoint requests in flight to one endpoint at most, on this node
     * @param timeout how long a receiver has to answer
     * @param poll how often the outbox is read when nothing wakes the dispatcher
     * @param retryBase the first retry's delay; later ones are multiples of it
     * @param retryFor how long after its creation a delivery is retried
     * @param lease how long a claim lasts (longer than {@code timeout})
     * @param node this node's name (in lease owners and attempts)
     */
    record Settings(
            int workers,
            int perEndpoint,
            Duration timeout,
            Duration poll,
            Duration retryBase,
            Duration retryFor,
            Duration lease,
            String node) {
        Settings {
            workers = Math.max(1, workers);
            perEndpoint = Math.max(1, Math.min(perEndpoint, workers));
            if (lease.compareTo(timeout.plusSeconds(5)) < 0) {
                lease = timeout.plusSeconds(5);
            }
        }

        static Settings defaults(String node) {
            return new Settings(
                    32,
                    16,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofDays(3),
                    Duration.ofSeconds(30),
                    node);
        }
    }

    private final WebhookRepository repo;
    private final Vault vault;
    private final Clock clock;
    private final Settings settings;
    private final HttpClient http;
    private final ExecutorService httpExecutor;

    /** Decrypted signers by endpoint id (with the stored form they came from). */
    private final ConcurrentHashMap<String, Keyed> signers = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, AtomicInteger> inFlightByEndpoint =
            new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong claims = new AtomicLong();
    private final BlockingQueue<WebhookRepository.Result> results = new LinkedBlockingQueue<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread claimer;
    private Thread recorder;

    private record Keyed(String stored, WebhookSigner signer) {}

    WebhookDispatcher(WebhookRepository repo, Vault vault, Clock clock, Settings settings) {
        this.repo = repo;
        this.vault = vault;
        this.clock = clock;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.httpExecutor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "ironbridge-webhooks-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(settings.timeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(httpExecutor)
                        .build();
    }

    Settings settings() {
        return settings;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        claimer = new Thread(this::claimLoop, "ironbridge-webhooks-dispatcher");
        claimer.setDaemon(true);
        recorder = new Thread(this::recordLoop, "ironbridge-webhooks-recorder");
        recorder.setDaemon(true);
        claimer.start();
        recorder.start();
    }

    boolean started() {
        return running;
    }

    /** Looks for due deliveries now (called after a transaction that wrote some committed). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops claiming, gives the requests in flight a moment to finish and records what finished.
     * Deliveries still in flight are sent again once their lease ends.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                httpExecutor.shutdownNow();
                return;
            }
            running = false;
        }
        claimer.interrupt();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        recorder.interrupt();
        try {
            claimer.join(2000);
            recorder.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------------------ claiming

    private void claimLoop() {
        while (running) {
            try {
                int free = settings.workers() - inFlight.get();
                if (free <= 0) {
                    // every worker is busy: go on when a request finishes
                    awaitSignal(settings.poll().toNanos(), false);
                    continue;
                }
                Round round = claimAndSend(free);
                if (round.claimed() >= free) {
                    continue; // there may be more due
                }
                // drained (wait for a wake-up), or held back by busy endpoints (wait for a request
                // to finish as well)
                awaitSignal(settings.poll().toNanos(), !round.capped());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Reading the webhook outbox failed: {}", e.getMessage());
                try {
                    awaitSignal(settings.poll().toNanos(), true);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * What a claim round did: how many deliveries it claimed, whether endpoint limits held some
     * back.
     */
    private record Round(int claimed, boolean capped) {}

    /**
     * Waits for a wake-up, a finished request or the timeout.
     *
     * @param needWake whether only a wake-up (not a finished request) ends the wait early
     */
    private void awaitSignal(long nanos, boolean needWake) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (running && !woken && left > 0) {
                left = signal.awaitNanos(left);
                if (!needWake) {
                    break;
                }
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    private Round claimAndSend(int free) {
        Instant now = now();
        Set<String> busy = new java.util.HashSet<>();
        inFlightByEndpoint.forEach(
                (endpoint, n) -> {
                    if (n.get() >= settings.perEndpoint()) {
                        busy.add(endpoint);
                    }
                });
        Map<String, Integer> taken = new HashMap<>();
        boolean[] refused = {false};
        List<WebhookRepository.Claimed> batch =
                repo.claim(
                        settings.node() + "/" + claims.incrementAndGet(),
                        now,
                        now.plus(settings.lease()),
                        free,
                        busy,
                        endpoint -> {
                            AtomicInteger running = inFlightByEndpoint.get(endpoint);
                            int already =
                                    (running == null ? 0 : running.get())
                                            + taken.getOrDefault(endpoint, 0);
                            if (already >= settings.perEndpoint()) {
                                refused[0] = true;
                                return false;
                            }
                            taken.merge(endpoint, 1, Integer::sum);
                            return true;
                        });
        for (WebhookRepository.Claimed k : batch) {
            send(k);
        }
        return new Round(batch.size(), !busy.isEmpty() || refused[0]);
    }

    // ------------------------------------------------------------------------------- sending

    private void send(WebhookRepository.Claimed k) {
        inFlight.incrementAndGet();
        inFlightByEndpoint
                .computeIfAbsent(k.endpointId(), e -> new AtomicInteger())
                .incrementAndGet();
        Instant at = now();
        long started = System.nanoTime();
        HttpRequest request;
        try {
            long timestamp = at.getEpochSecond();
            request =
                    HttpRequest.newBuilder(URI.create(k.url()))
                            .timeout(settings.timeout())
                            .header("Content-Type", "application/json")
                            .header("User-Agent", USER_AGENT)
                            .header("webhook-id", k.eventId())
                            .header("webhook-timestamp", Long.toString(timestamp))
                            .header(
                                    "webhook-signature",
                                    signer(k).sign(k.eventId(), timestamp, k.payload()))
                            .POST(HttpRequest.BodyPublishers.ofString(k.payload()))
                            .build();
        } catch (RuntimeException e) {
            // a URL the client cannot send to, or a secret that does not decrypt
            finished(k, at, started, null, "could not send: " + e.getMessage());
            return;
        }
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete(
                            (response, failure) ->
                                    finished(
                                            k,
                                            at,
                                            started,
                                            response == null ? null : response.statusCode(),
                                            failure == null ? null : describe(failure)));
        } catch (RuntimeException e) {
            finished(k, at, started, null, "could not send: " + e.getMessage());
        }
    }

    private WebhookSigner signer(WebhookRepository.Claimed k) {
        Keyed keyed = signers.get(k.endpointId());
        if (keyed == null || !keyed.stored().equals(k.secret())) {
            keyed =
                    new Keyed(
                            k.secret(),
                            new WebhookSigner(vault.decrypt(k.secret(), k.endpointId())));
            signers.put(k.endpointId(), keyed);
        }
        return keyed.signer();
    }

    private void finished(
            WebhookRepository.Claimed k,
            Instant at,
            long started,
            Integer statusCode,
            String error) {
        try {
            int latency =
                    (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
            boolean ok = statusCode != null && statusCode >= 200 && statusCode < 300;
            String why = error;
            if (!ok && why == null) {
                why = "the receiver answered HTTP " + statusCode;
            }
            int attempt = k.attempts() + 1;
            Instant next = ok ? null : nextAttempt(k.createdAt(), attempt, now());
            results.add(
                    new WebhookRepository.Result(
                            k.deliveryId(),
                            k.leaseOwner(),
                            attempt,
                            at,
                            statusCode,
                            latency,
                            ok ? null : why,
                            ok,
                            next,
                            settings.node()));
        } finally {
            inFlight.decrementAndGet();
            AtomicInteger n = inFlightByEndpoint.get(k.endpointId());
            if (n != null && n.decrementAndGet() <= 0) {
                inFlightByEndpoint.remove(k.endpointId(), n);
            }
            lock.lock();
            try {
                signal.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * When to try again after the given attempt failed, or null when the retry window (from the
     * delivery's creation) is over.
     */
    Instant nextAttempt(Instant createdAt, int attempt, Instant now) {
        long factor = BACKOFF[Math.min(attempt, BACKOFF.length) - 1];
        long base = settings.retryBase().toMillis() * factor;
        long jittered = (long) (base * ThreadLocalRandom.current().nextDouble(0.9, 1.1));
        Instant next = now.plusMillis(Math.max(1, jittered)).truncatedTo(ChronoUnit.MICROS);
        return next.isAfter(createdAt.plus(settings.retryFor())) ? null : next;
    }

    private String describe(Throwable failure) {
        Throwable t =
                failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + settings.timeout().toSeconds() + " s";
        }
        if (t instanceof ConnectException) {
            return "could not connect" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof IOException) {
            return "the connection failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return "could not send: " + t;
    }

    // ----------------------------------------------------------------------------- recording

    private void recordLoop() {
        List<WebhookRepository.Result> batch = new ArrayList<>();
        while (true) {
            try {
                WebhookRepository.Result first = results.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!running && results.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                // stopping: record what is there, then end
                results.drainTo(batch);
                record(batch);
                return;
            }
            results.drainTo(batch, RECORD_BATCH - 1);
            record(batch);
            batch.clear();
        }
    }

    private void record(List<WebhookRepository.Result> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                repo.record(batch);
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    // the leases end and the deliveries are sent again
                    LOG.warn(
                            "Could not record {} webhook attempts: {}",
                            batch.size(),
                            e.getMessage());
                    return;
                }
                sleepQuietly(200L * attempt);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
