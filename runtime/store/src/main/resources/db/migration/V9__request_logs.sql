-- The request log: one row per API request (admin, data and connect APIs), written asynchronously in batches, and
-- the outbound calls the connector made to the source for it. Headers and bodies are stored redacted and size-capped.
-- Rows older than ironbridge.logs.retention_days are deleted in the background.
--
-- Ids come from the sequence in blocks of 1000 (each writer takes a block at a time), so several nodes never collide;
-- they are not in time order across nodes: lists are ordered by started_at, then id.
CREATE SEQUENCE request_log_ids START WITH 1 INCREMENT BY 1000;

CREATE TABLE request_logs (
    id                      BIGINT        NOT NULL PRIMARY KEY,
    organization_id         VARCHAR(40)   NOT NULL,
    -- the connection of a data API request (or the one an admin request is about, when known)
    connection_id           VARCHAR(40),
    -- X-Request-Id: generated or sent by the client, so not unique across requests
    request_id              VARCHAR(128)  NOT NULL,
    started_at              BIGINT        NOT NULL,
    duration_us             BIGINT        NOT NULL,
    method                  VARCHAR(16)   NOT NULL,
    path                    VARCHAR(2000) NOT NULL,
    -- the raw query string with secret-looking parameters redacted, null without one
    query                   VARCHAR(4000),
    status                  INT           NOT NULL,
    -- the API error code of a problem response (e.g. source_unavailable), null on success
    error_code              VARCHAR(40),
    -- JSON objects {"name":"value",...}, redacted
    request_headers         LONGTEXT,
    response_headers        LONGTEXT,
    -- bodies as text, cut to ironbridge.logs.max_body_bytes, credentials and tokens redacted; null without one
    request_body            LONGTEXT,
    response_body           LONGTEXT,
    -- the size of the whole body in bytes as far as it was read or written, null without one
    request_body_size       BIGINT,
    response_body_size      BIGINT,
    request_body_truncated  INT           NOT NULL DEFAULT 0,
    response_body_truncated INT           NOT NULL DEFAULT 0,
    -- 1 when the bodies were not kept because the log queue was under pressure
    bodies_dropped          INT           NOT NULL DEFAULT 0,
    source_call_count       INT           NOT NULL DEFAULT 0
);
CREATE INDEX ix_request_logs_org ON request_logs (organization_id, started_at);
CREATE INDEX ix_request_logs_connection ON request_logs (organization_id, connection_id, started_at);
CREATE INDEX ix_request_logs_request_id ON request_logs (organization_id, request_id);

CREATE TABLE request_log_calls (
    log_id      BIGINT        NOT NULL,
    -- 0, 1, ... in the order the calls were made
    seq         INT           NOT NULL,
    started_at  BIGINT        NOT NULL,
    duration_us BIGINT        NOT NULL,
    method      VARCHAR(16)   NOT NULL,
    -- without user info, secret-looking query parameters redacted
    url         VARCHAR(4000) NOT NULL,
    -- the source's HTTP status, null when no response came (then error says why)
    status      INT,
    error       VARCHAR(1000),
    PRIMARY KEY (log_id, seq)
);
