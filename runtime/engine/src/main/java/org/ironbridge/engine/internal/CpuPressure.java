package org.ironbridge.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.reflect.Method;

/**
 * Whether the machine's CPUs are saturated, for background work that should yield to requests: the
 * recent system CPU load when the JVM reports it ({@code
 * com.sun.management.OperatingSystemMXBean#getCpuLoad}, looked up through the platform class loader
 * so that no OSGi import is needed), else the one-minute load average per core. Sampled at most
 * four times a second. Not final: tests stand in for a busy machine.
 */
class CpuPressure {
    /** The share of all cores in use from which the machine counts as busy. */
    static final double BUSY = 0.85;

    private static final long SAMPLE_NANOS = 250_000_000L;

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Method cpuLoad = cpuLoadMethod();
    private long sampledAt = System.nanoTime() - SAMPLE_NANOS;
    private boolean busy;

    private static Method cpuLoadMethod() {
        try {
            Class<?> c =
                    ClassLoader.getPlatformClassLoader()
                            .loadClass("com.sun.management.OperatingSystemMXBean");
            return c.getMethod("getCpuLoad");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the machine is busy now (called from one thread). */
    boolean busy() {
        long now = System.nanoTime();
        if (now - sampledAt < SAMPLE_NANOS) {
            return busy;
        }
        sampledAt = now;
        busy = load() >= BUSY;
        return busy;
    }

    /** The share of all cores in use, 0..1 (or more with the load average). */
    double load() {
        if (cpuLoad != null) {
            try {
                double v = (Double) cpuLoad.invoke(os);
                if (v >= 0) {
                    return v;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall back to the load average
            }
        }
        double avg = os.getSystemLoadAverage();
        return avg < 0 ? 1.0 : avg / cores;
    }
}
