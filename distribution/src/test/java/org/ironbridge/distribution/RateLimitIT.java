package org.ironbridge.distribution;

import static org.ironbridge.distribution.ResumeAfterKillIT.await;
import static org.ironbridge.distribution.ResumeAfterKillIT.distinctStored;
import static org.ironbridge.distribution.ResumeAfterKillIT.json;
import static org.ironbridge.distribution.ResumeAfterKillIT.stored;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * A 429 storm from the sandbox's {@code rate_limit_per_minute}: the initial sync waits out the
 * source's Retry-After within the run instead of failing, and ends with every record once.
 */
public class RateLimitIT {
    static final int DATASET = 2_000; // 4 pages of 500

    @Test
    public void aSyncRidesOutTheSourcesRateLimit() throws Exception {
        String url = ServerProcess.freshDatabase("dist_rate_limit");
        Path data = Distribution.tempDirectory("ironbridge-429-");
        try (ServerProcess server = new ServerProcess("rate-limited", data, url).start()) {
            await(
                    "sandbox connector installed",
                    Duration.ofSeconds(60),
                    () ->
                            server.call(
                                            "GET",
                                            "/v1/admin/connectors",
                                            ServerProcess.ADMIN_KEY,
                                            null)
                                    .body()
                                    .contains("\"system\":\"sandbox\""));
            // 3 calls a minute: the verification and two pages, then 429 with Retry-After
            JsonNode created =
                    json(
                            server.call(
                                    "POST",
                                    "/v1/admin/connections",
                                    ServerProcess.ADMIN_KEY,
                                    "{\"system\":\"sandbox\",\"customer_id\":\"rate-test\","
                                            + "\"credentials\":{\"username\":\"u\",\"password\":\"sandbox\","
                                            + "\"dataset_size\":"
                                            + DATASET
                                            + ",\"activity_per_minute\":0,\"rate_limit_per_minute\":3},"
                                            + "\"sync\":{\"initial_days\":0,\"interval_seconds\":600,"
                                            + "\"entities\":[\"purchase-orders\"]}}"),
                            201);
            String id = created.path("connection").path("id").asText();
            long started = System.nanoTime();
            await(
                    "the initial sync finished",
                    Duration.ofSeconds(150),
                    () ->
                            ResumeAfterKillIT.runs(url, id).stream()
                                    .anyMatch(
                                            r ->
                                                    !r.status().equals("running")
                                                            && !r.status().equals("queued")));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            List<ResumeAfterKillIT.Run> runs = ResumeAfterKillIT.runs(url, id);
            assertEquals(runs.toString(), 1, runs.size());
            assertEquals(runs.toString(), "succeeded", runs.get(0).status());
            assertEquals(DATASET, runs.get(0).seen());
            // it did wait for the source (the sliding minute), rather than hammering it
            assertTrue("took " + took, took.compareTo(Duration.ofSeconds(30)) > 0);
            assertEquals(DATASET, stored(url, id));
            assertEquals(DATASET, distinctStored(url, id));
        }
    }
}
