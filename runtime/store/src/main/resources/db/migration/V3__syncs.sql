-- Sync state per connection and entity, and the history of sync runs.
--
-- sync_state holds the checkpoint: cursor_value is the serialized connector Cursor (Cursor.serialize(),
-- "v1.<micros>.<state>") written in the same transaction as each page of records. cursor_complete tells whether
-- it is the end cursor of a finished run (the next run starts from it minus an overlap window) or a checkpoint in
-- the middle of an unfinished run (the next run continues from it as-is).
--
-- The scheduling columns (next_run_at, lease_owner, lease_until) are the v1 scheduler's; a cluster-aware scheduler
-- (db-scheduler) takes over claiming and they then only record when the next run is due.
CREATE TABLE sync_state (
    connection_id        VARCHAR(40)  NOT NULL,
    -- entity collection name, e.g. purchase-orders
    entity               VARCHAR(40)  NOT NULL,
    cursor_value         LONGTEXT,
    cursor_complete      INT          NOT NULL DEFAULT 0,
    -- 1 once an initial (or full) sync of this entity finished
    initial_done         INT          NOT NULL DEFAULT 0,
    -- the kind of run requested next: initial | incremental | full
    requested_kind       VARCHAR(16),
    -- the run queued or running now, and the latest run (for "last sync" views)
    current_run_id       VARCHAR(40),
    last_run_id          VARCHAR(40),
    last_success_at      BIGINT,
    last_full_at         BIGINT,
    -- when deletes were last reconciled by comparing id sets (for connectors that cannot report deletes)
    reconciled_at        BIGINT,
    consecutive_failures INT          NOT NULL DEFAULT 0,
    last_error           VARCHAR(2000),
    next_run_at          BIGINT       NOT NULL,
    lease_owner          VARCHAR(100),
    lease_until          BIGINT,
    updated_at           BIGINT       NOT NULL,
    PRIMARY KEY (connection_id, entity),
    CONSTRAINT fk_sync_state_connection FOREIGN KEY (connection_id) REFERENCES connections (id)
);
CREATE INDEX ix_sync_state_due ON sync_state (next_run_at);

CREATE TABLE sync_runs (
    id                VARCHAR(40)   NOT NULL PRIMARY KEY,
    connection_id     VARCHAR(40)   NOT NULL,
    entity            VARCHAR(40)   NOT NULL,
    -- initial | incremental | full
    kind              VARCHAR(16)   NOT NULL,
    -- queued | running | succeeded | failed
    status            VARCHAR(16)   NOT NULL,
    queued_at         BIGINT        NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT,
    -- last checkpoint (page) written; a run whose heartbeat is old on a dead node is taken over
    heartbeat_at      BIGINT,
    pages             INT           NOT NULL DEFAULT 0,
    records_seen      BIGINT        NOT NULL DEFAULT 0,
    records_changed   BIGINT        NOT NULL DEFAULT 0,
    records_deleted   BIGINT        NOT NULL DEFAULT 0,
    -- 0..1000 while running when the total is known, else null
    progress_permille INT,
    -- the cursor the run started from (serialized), for diagnosis
    start_cursor      LONGTEXT,
    -- the API error code and message of a failed run
    error_code        VARCHAR(40),
    error_message     VARCHAR(2000),
    -- the node that ran it
    node              VARCHAR(100),
    CONSTRAINT fk_sync_run_connection FOREIGN KEY (connection_id) REFERENCES connections (id)
);
CREATE INDEX ix_sync_runs_connection ON sync_runs (connection_id, queued_at, id);
