-- Per-connection statistics at minute resolution: what the data API answered, what was asked of the source, how
-- the syncs went. Each server process aggregates in memory and writes one row per connection and finished minute
-- in batches; a minute served by several processes has one row per process (the `writer`), summed when read.
-- Rows older than the retention (default 8 days) are deleted by the engine's housekeeping.
-- No foreign key: rows are telemetry, written in batches that must not fail on one connection, and deleted by age.
-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11. Times are BIGINT epoch microseconds (UTC).
CREATE TABLE connection_minute_stats (
    connection_id        VARCHAR(40)  NOT NULL,
    -- the start of the minute
    minute_at            BIGINT       NOT NULL,
    -- the process that wrote the row: its node name and a random id of its start
    writer               VARCHAR(140) NOT NULL,
    -- data API requests made with the connection's token, and those answered with status >= 400 and >= 500
    api_requests         INT          NOT NULL,
    api_errors           INT          NOT NULL,
    api_server_errors    INT          NOT NULL,
    -- the error codes of those answers, "code=count" separated by ";" (e.g. "not_found=2;rate_limited=1")
    api_error_codes      VARCHAR(1000),
    -- latency histogram: "bucket:count" separated by "," over fixed bucket bounds (see LatencyHistogram)
    api_latency          VARCHAR(600),
    api_latency_max_us   BIGINT       NOT NULL,
    -- calls sent to the source (live calls and sync reads), those that failed on the source's side, and calls
    -- refused without being sent because the connection's circuit breaker was open
    source_calls         INT          NOT NULL,
    source_errors        INT          NOT NULL,
    source_rejected      INT          NOT NULL,
    -- the end of the last source call in this minute that did not fail on the source's side
    source_last_ok_at    BIGINT,
    -- sync runs that ended in this minute, those that failed, and their durations
    sync_runs            INT          NOT NULL,
    sync_failures        INT          NOT NULL,
    sync_duration_sum_ms BIGINT       NOT NULL,
    sync_duration_max_ms BIGINT       NOT NULL,
    PRIMARY KEY (connection_id, minute_at, writer)
);
-- retention deletes by age
CREATE INDEX ix_minute_stats_minute ON connection_minute_stats (minute_at);
