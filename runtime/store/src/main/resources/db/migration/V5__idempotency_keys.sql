-- Idempotency-Key handling of writes: the first response of a key is replayed for 24 hours.
CREATE TABLE idempotency_keys (
    connection_id VARCHAR(40)   NOT NULL,
    idem_key      VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- a hash of the request (method, path, body)
    fingerprint   VARCHAR(128)  NOT NULL,
    -- pending (a request with the key is in progress) | done
    state         VARCHAR(16)   NOT NULL,
    status_code   INT,
    body          LONGTEXT,
    location      VARCHAR(2000),
    created_at    BIGINT        NOT NULL,
    completed_at  BIGINT,
    PRIMARY KEY (connection_id, idem_key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);
