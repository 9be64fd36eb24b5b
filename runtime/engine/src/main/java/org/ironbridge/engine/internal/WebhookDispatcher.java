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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Sends the outbox's deliveries: POSTs them signed, concurrently with the JDK's HttpClient
 * (keep-alive connections), records each attempt with its next retry, and makes sure that of
 * several nodes on one database each delivery is sent by one.
 *
 * <p>Two ways in. (1) From memory: a change on this node writes its deliveries already claimed by
 * this node ({@link #preclaim}) and hands them over right after its commit ({@link #offer}), so the
 * usual delivery costs no database read at all. (2) From the outbox: one thread claims due
 * deliveries through the database ({@link WebhookRepository#claim}) every {@code poll}, when woken,
 * and as long as there is a backlog: retries, deliveries written while this dispatcher was busy or
 * stopped, those of other nodes, and those of a node that died (a claim is a lease that ends after
 * {@code lease}, when the delivery is due again); with a backlog it claims a few rounds ahead and
 * keeps those in memory, so that one claim serves many requests. At most {@code workers} requests
 * are in flight, at most {@code perEndpoint} to one endpoint. One more thread records the attempts,
 * many per transaction.
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
    private static final long RECORD_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
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

    /**
     * Built on the first delivery ({@link #http()}): building one loads and initializes the TLS
     * stack, which took about a tenth of the CPU a server spends to get ready.
     */
    private volatile HttpClient http;

    private final Object httpLock = new Object();

    /** Decrypted signers by endpoint id (with the stored form they came from). */
    private final ConcurrentHashMap<String, Keyed> signers = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, AtomicInteger> inFlightByEndpoint =
            new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Requests finished since the outbox was last read. */
    private final AtomicInteger finishedSinceScan = new AtomicInteger();

    private final AtomicLong claims = new AtomicLong();

    /** Deliveries sent from memory (claimed at their creation), and claimed from the outbox. */
    final AtomicLong sentFromMemory = new AtomicLong();

    final AtomicLong sentFromOutbox = new AtomicLong();

    /** Changes whose deliveries were written due because this dispatcher was busy or stopped. */
    final AtomicLong notPreclaimed = new AtomicLong();

    private final BlockingQueue<WebhookRepository.Result> results = new LinkedBlockingQueue<>();

    /** Deliveries this node claimed when it wrote them, to send from memory, by endpoint. */
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Local>> local =
            new ConcurrentHashMap<>();

    /** Where {@link #sendLocal} starts among the endpoints, so that each gets its turn. */
    private int localTurn;

    private final AtomicInteger localSize = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();

    /** Something happened that the claiming thread should look at (guarded by lock). */
    private boolean signalled;

    /** The outbox should be read now, not only at the next poll. */
    private volatile boolean scanRequested = true;

    private volatile boolean running;

    /** The recorder records what is queued, then ends. */
    private volatile boolean recorderStopping;

    private Thread claimer;
    private Thread recorder;

    private record Keyed(String stored, WebhookSigner signer) {}

    /**
     * A claimed delivery waiting in memory (claimed at its creation, or ahead from the outbox), and
     * when (System.nanoTime) its claim ends.
     */
    private record Local(WebhookRepository.Claimed delivery, long leaseEnds, boolean fromOutbox) {}

    WebhookDispatcher(WebhookRepository repo, Vault vault, Clock clock, Settings settings) {
        this.repo = repo;
        this.vault = vault;
        this.clock = clock;
        this.settings = settings;
    }

    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (httpLock) {
                h = http;
                if (h == null) {
                    // the client's own tasks (writing a request, parsing its answer, completing its
                    // future and the callback that queues the result) run on the client's selector
                    // thread: none of them blocks, and handing each to a pool cost more CPU than
                    // the
                    // tasks (about half a millisecond per delivery in thread hand-offs and
                    // wake-ups)
                    h =
                            HttpClient.newBuilder()
                                    .version(HttpClient.Version.HTTP_1_1)
                                    .connectTimeout(settings.timeout())
                                    .followRedirects(HttpClient.Redirect.NEVER)
                                    .executor(Runnable::run)
                                    .build();
                    http = h;
                }
            }
        }
        return h;
    }

    Settings settings() {
        return settings;
    }

    /** What it is doing now, for diagnosis (the benchmark prints it). */
    String state() {
        return "in flight "
                + inFlight.get()
                + ", waiting in memory "
                + localSize.get()
                + ", sent from memory "
                + sentFromMemory.get()
                + ", from the outbox "
                + sentFromOutbox.get()
                + ", results to record "
                + results.size();
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

    /**
     * Reads the outbox now rather than at the next poll (due deliveries were written, or replayed).
     */
    void wake() {
        scanRequested = true;
        signal();
    }

    /**
     * A lease owner for deliveries that a change is about to write, claimed by this node at once
     * (see {@link #offer}); null when this dispatcher does not run or is busy, and the deliveries
     * are to be written due instead.
     *
     * @param count how many deliveries
     */
    String preclaim(int count) {
        if (!running || localSize.get() + inFlight.get() + count > localCapacity()) {
            notPreclaimed.incrementAndGet();
            return null;
        }
        return settings.node() + "/b" + claims.incrementAndGet();
    }

    /**
     * How many deliveries may wait in memory: a few seconds' worth, far less than a lease (a
     * delivery that waited too long is left to the outbox).
     */
    private int localCapacity() {
        return Math.max(1024, settings.workers() * 64);
    }

    /** When the claim of a delivery claimed now ends. */
    Instant leaseUntil() {
        return now().plus(settings.lease());
    }

    /**
     * Sends deliveries claimed with a {@link #preclaim} owner (called once the transaction that
     * wrote them has committed).
     *
     * @param leaseUntil the end of their claim, as written ({@link #leaseUntil} then)
     */
    void offer(List<WebhookRepository.Claimed> deliveries, Instant leaseUntil) {
        // the lease was taken in the transaction: it ends when the database row says, whatever
        // time the commit took
        long ends = System.nanoTime() + Duration.between(now(), leaseUntil).toNanos();
        for (WebhookRepository.Claimed k : deliveries) {
            local.computeIfAbsent(k.endpointId(), e -> new ConcurrentLinkedQueue<>())
                    .add(new Local(k, ends, false));
            localSize.incrementAndGet();
        }
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            signalled = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops claiming, gives the requests in flight a moment to finish and records what finished.
     * Deliveries still in flight, or waiting in memory, are sent again once their lease ends. The
     * threads are not interrupted: an interrupt in the middle of H2's file I/O closes its file.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        signal();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        recorderStopping = true;
        try {
            claimer.join(5000);
            recorder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------ claiming

    private void claimLoop() {
        long nextScan = System.nanoTime();
        // the outbox had more than the last round could take: read it again as soon as enough
        // requests finished (half an endpoint's share) and what was claimed ahead is down to a
        // round's worth, not only at the next poll
        boolean backlog = false;
        int refill = Math.max(1, settings.perEndpoint() / 2);
        int ahead = settings.workers() * 2;
        while (running) {
            try {
                int free = settings.workers() - inFlight.get();
                if (free > 0) {
                    free -= sendLocal(free);
                }
                long now = System.nanoTime();
                // with a backlog, wake-ups (every commit that wrote due deliveries) do not add
                // reads: finished requests make room, and then the outbox is read again
                boolean scan =
                        now - nextScan >= 0
                                || (backlog
                                        ? finishedSinceScan.get() >= refill
                                                && localSize.get() <= settings.workers()
                                        : scanRequested);
                if (free > 0 && scan) {
                    scanRequested = false;
                    finishedSinceScan.set(0);
                    // a backlog is claimed a few rounds ahead into memory: one claim (a read and
                    // a transaction) for many deliveries
                    int limit = free + Math.max(0, ahead - localSize.get());
                    Round round = claimAndSend(free, limit);
                    nextScan = now + settings.poll().toNanos();
                    backlog = round.claimed() >= limit || round.capped();
                }
                awaitSignal(nextScan - System.nanoTime());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Reading the webhook outbox failed: {}", e.getMessage());
                nextScan = System.nanoTime() + settings.poll().toNanos();
                try {
                    awaitSignal(settings.poll().toNanos());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Waits for a signal (a wake-up, an offer, a finished request) or the timeout. */
    private void awaitSignal(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (running && !signalled && left > 0) {
                left = signal.awaitNanos(left);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /** What a claim round did: how many deliveries it claimed, whether limits held some back. */
    private record Round(int claimed, boolean capped) {}

    /**
     * Sends deliveries claimed at their creation, up to {@code free}; one whose claim ends too soon
     * to be sent and recorded within it is left to the outbox (it is due when its claim ends).
     *
     * @return how many were sent
     */
    private int sendLocal(int free) {
        if (localSize.get() == 0) {
            return 0;
        }
        List<String> endpoints = new ArrayList<>(local.keySet());
        int sent = 0;
        long minimum = settings.timeout().plusSeconds(2).toNanos();
        int start = endpoints.isEmpty() ? 0 : Math.floorMod(localTurn++, endpoints.size());
        for (int i = 0; i < endpoints.size() && sent < free; i++) {
            String endpoint = endpoints.get((start + i) % endpoints.size());
            ConcurrentLinkedQueue<Local> queue = local.get(endpoint);
            while (sent < free && queue != null) {
                AtomicInteger busy = inFlightByEndpoint.get(endpoint);
                if (busy != null && busy.get() >= settings.perEndpoint()) {
                    break; // this endpoint has enough in flight: its deliveries wait
                }
                Local l = queue.poll();
                if (l == null) {
                    break;
                }
                localSize.decrementAndGet();
                if (l.leaseEnds() - System.nanoTime() < minimum) {
                    continue; // waited too long: it is due in the outbox when its claim ends
                }
                send(l.delivery());
                (l.fromOutbox() ? sentFromOutbox : sentFromMemory).incrementAndGet();
                sent++;
            }
        }
        return sent;
    }

    /**
     * Claims due deliveries from the outbox, up to {@code limit} and two rounds' worth per endpoint
     * (in flight and waiting in memory: the second round starts at the latest when the first times
     * out, well within the lease), sends up to {@code free} of them and keeps the rest in memory
     * for the next rounds (one that waits too long is due again when its claim ends).
     */
    private Round claimAndSend(int free, int limit) {
        Instant now = now();
        Map<String, Integer> taken = new HashMap<>();
        if (localSize.get() > 0) {
            for (Map.Entry<String, ConcurrentLinkedQueue<Local>> e : local.entrySet()) {
                int waiting = e.getValue().size();
                if (waiting > 0) {
                    taken.put(e.getKey(), waiting);
                }
            }
        }
        boolean[] refused = {false};
        int perEndpoint = settings.perEndpoint() * 2;
        List<WebhookRepository.Claimed> batch =
                repo.claim(
                        settings.node() + "/" + claims.incrementAndGet(),
                        now,
                        now.plus(settings.lease()),
                        limit,
                        endpoint -> {
                            AtomicInteger running = inFlightByEndpoint.get(endpoint);
                            int already =
                                    (running == null ? 0 : running.get())
                                            + taken.getOrDefault(endpoint, 0);
                            if (already >= perEndpoint) {
                                refused[0] = true;
                                return false;
                            }
                            taken.merge(endpoint, 1, Integer::sum);
                            return true;
                        });
        // the claim was taken at `now`: it ends a lease later, whatever time the claim took
        long ends =
                System.nanoTime() + Duration.between(now(), now.plus(settings.lease())).toNanos();
        for (WebhookRepository.Claimed k : batch) {
            local.computeIfAbsent(k.endpointId(), e -> new ConcurrentLinkedQueue<>())
                    .add(new Local(k, ends, true));
            localSize.incrementAndGet();
        }
        if (!batch.isEmpty()) {
            sendLocal(free);
        }
        return new Round(batch.size(), refused[0]);
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
            http().sendAsync(request, HttpResponse.BodyHandlers.discarding())
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
            finishedSinceScan.incrementAndGet();
            AtomicInteger n = inFlightByEndpoint.get(k.endpointId());
            if (n != null && n.decrementAndGet() <= 0) {
                inFlightByEndpoint.remove(k.endpointId(), n);
            }
            signal();
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
            WebhookRepository.Result first;
            try {
                first = results.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (recorderStopping && results.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            // gather for a moment: one transaction for many attempts costs about what one for a
            // single attempt does (nobody waits for these records but the deliveries list)
            long until = System.nanoTime() + RECORD_GATHER_NANOS;
            while (batch.size() < RECORD_BATCH && !recorderStopping) {
                results.drainTo(batch, RECORD_BATCH - batch.size());
                long left = until - System.nanoTime();
                if (left <= 0 || batch.size() >= RECORD_BATCH) {
                    break;
                }
                try {
                    WebhookRepository.Result more = results.poll(left, TimeUnit.NANOSECONDS);
                    if (more != null) {
                        batch.add(more);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
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
