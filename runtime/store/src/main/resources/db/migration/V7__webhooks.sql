-- Webhooks: the endpoints organizations register, the outbox of events, and their deliveries with every attempt.
-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11. Times are BIGINT epoch microseconds (UTC).
--
-- The outbox is webhook_events + webhook_deliveries: the change that causes an event (a status change, a sync run
-- that ends, a page of records) inserts the event and one pending delivery per subscribed endpoint in its own
-- transaction, so an event exists exactly when its change was committed, and survives any crash after that.
CREATE TABLE webhook_endpoints (
    id              VARCHAR(40)   NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40)   NOT NULL,
    url             VARCHAR(2000) NOT NULL,
    -- comma-separated event types the endpoint subscribes to, e.g. connection.created,record.updated
    events          VARCHAR(1000) NOT NULL,
    description     VARCHAR(500),
    -- the signing secret (whsec_...), encrypted by the engine's vault (versioned form, e.g. v1:<base64>)
    secret          VARCHAR(500)  NOT NULL,
    enabled         INT           NOT NULL DEFAULT 1,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL,
    CONSTRAINT fk_webhook_endpoint_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
);
-- newest-first keyset listing per organization, and the subscriptions of an organization
CREATE INDEX ix_webhook_endpoints_org ON webhook_endpoints (organization_id, created_at, id);

CREATE TABLE webhook_events (
    id              VARCHAR(40)   NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40)   NOT NULL,
    -- the connection the event is about; null for events of no connection
    connection_id   VARCHAR(40),
    -- connection.created, record.updated, ... (API.md)
    type            VARCHAR(64)   NOT NULL,
    created_at      BIGINT        NOT NULL,
    -- the request body sent to every endpoint: {"id","type","created_at","organization_id","connection_id","data"}.
    -- Bodies are small (a few KB at most: they name records rather than carry them); a VARCHAR, unlike a LONGTEXT,
    -- is stored in the row by H2 instead of as a separate LOB (about twice the cost of the whole outbox write).
    payload         VARCHAR(15000) NOT NULL
);
CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);

-- One event to one endpoint. A pending delivery is due at next_attempt_at. A node claims a due delivery with a
-- conditional update that sets lease_owner (unique per claim) and moves next_attempt_at to the end of the lease, so
-- that a claimed delivery is not due for anyone else while it is being sent, and is due again at once when the
-- node that claimed it dies. The node then records the attempt and the next retry (or the end) only if it still
-- holds the lease.
CREATE TABLE webhook_deliveries (
    id               VARCHAR(40)   NOT NULL PRIMARY KEY,
    endpoint_id      VARCHAR(40)   NOT NULL,
    event_id         VARCHAR(40)   NOT NULL,
    organization_id  VARCHAR(40)   NOT NULL,
    -- pending | succeeded | failed
    status           VARCHAR(16)   NOT NULL,
    attempts         INT           NOT NULL DEFAULT 0,
    -- when it is due (pending), or the end of its lease (claimed); null once finished
    next_attempt_at  BIGINT,
    lease_owner      VARCHAR(100),
    last_attempt_at  BIGINT,
    last_status_code INT,
    last_error       VARCHAR(1000),
    created_at       BIGINT        NOT NULL,
    finished_at      BIGINT,
    -- the delivery this one replays (POST /v1/admin/webhook-deliveries/{id}/replay), else null
    replay_of        VARCHAR(40),
    CONSTRAINT fk_webhook_delivery_event FOREIGN KEY (event_id) REFERENCES webhook_events (id)
);
-- only pending deliveries have a next_attempt_at: the due ones are an ordered range of this index, and a claim reads
-- the oldest few of them without sorting the backlog
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at);
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX ix_webhook_deliveries_finished ON webhook_deliveries (finished_at);

CREATE TABLE webhook_attempts (
    delivery_id     VARCHAR(40)   NOT NULL,
    -- 1, 2, ...
    attempt         INT           NOT NULL,
    attempted_at    BIGINT        NOT NULL,
    -- the receiver's HTTP status; null when there was no response (timeout, refused connection)
    status_code     INT,
    latency_ms      INT           NOT NULL,
    error           VARCHAR(1000),
    -- when the next attempt is due after this one; null when none follows
    next_attempt_at BIGINT,
    node            VARCHAR(100),
    PRIMARY KEY (delivery_id, attempt)
);
