package org.ironbridge.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The source calls made for the API request being served on this thread.
 *
 * <p>The HTTP layer {@linkplain #start() starts} a log when a request comes in and {@linkplain
 * #stop() stops} it when the response is sent; the runtime's source HTTP client {@linkplain
 * #record(SourceCall) records} each call into the log of its thread. Live source calls run on the
 * request's thread; sync threads never start a log, so their calls are not attributed to any
 * request.
 */
public final class SourceCallLog {
    /** At most this many calls are kept per request; the rest are only counted. */
    public static final int MAX_CALLS = 100;

    private static final ThreadLocal<SourceCallLog> CURRENT = new ThreadLocal<>();

    private final List<SourceCall> calls = new ArrayList<>(2);
    private int omitted;

    private SourceCallLog() {}

    /** Starts the log of this thread's request, replacing any left over by a previous one. */
    public static SourceCallLog start() {
        SourceCallLog log = new SourceCallLog();
        CURRENT.set(log);
        return log;
    }

    /** Whether a request on this thread is collecting its source calls. */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /** Adds a call to the log of this thread's request; does nothing on other threads. */
    public static void record(SourceCall call) {
        SourceCallLog log = CURRENT.get();
        if (log != null) {
            synchronized (log) {
                if (log.calls.size() < MAX_CALLS) {
                    log.calls.add(call);
                } else {
                    log.omitted++;
                }
            }
        }
    }

    /** Detaches this log from its thread; the calls stay readable. */
    public void stop() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /** The calls recorded so far, in order. */
    public synchronized List<SourceCall> calls() {
        return List.copyOf(calls);
    }

    /** How many calls beyond {@link #MAX_CALLS} were not kept. */
    public synchronized int omitted() {
        return omitted;
    }
}
