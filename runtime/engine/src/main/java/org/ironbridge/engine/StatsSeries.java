package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;

/**
 * A connection's statistics over a time range, one {@link StatsPoint} per step that had any
 * activity (steps without any are left out: all their counts are zero).
 *
 * @param since the start of the first step (the requested start, aligned down to the step)
 * @param until the end of the range (exclusive)
 * @param stepSeconds the length of a step: 60, 300, 900 or 3600
 * @param data the steps with activity, oldest first
 * @since 0.2
 */
public record StatsSeries(
        String connectionId,
        Instant since,
        Instant until,
        int stepSeconds,
        List<StatsPoint> data) {}
