-- Connections of organizations to source systems, and the history of their status.
-- Values that clients or sources choose (customer ids, remote ids, filter values, idempotency keys) use a binary
-- collation, so that they compare case-sensitively whatever the database's default collation is. Ironbridge's own
-- ids keep the default, so that foreign keys to tables of other migrations match.
-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11. Times are BIGINT epoch microseconds (UTC).
CREATE TABLE connections (
    id                    VARCHAR(40)   NOT NULL PRIMARY KEY,
    organization_id       VARCHAR(40)   NOT NULL,
    system                VARCHAR(40)   NOT NULL,
    customer_id           VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    name                  VARCHAR(200)  NOT NULL,
    -- cloud | on_prem
    deployment            VARCHAR(16)   NOT NULL,
    -- the on-prem agent that serves an on_prem connection; null for cloud
    agent_id              VARCHAR(40),
    -- active | degraded | reauthorization_required | disconnected
    status                VARCHAR(32)   NOT NULL,
    status_reason         VARCHAR(1000),
    status_changed_at     BIGINT        NOT NULL,
    -- credits this connection consumes while it is not disconnected
    credits               INT           NOT NULL,
    -- SHA-256 (hex) of the connection token; the token itself is never stored
    token_hash            CHAR(64)      NOT NULL,
    token_hint            VARCHAR(16)   NOT NULL,
    -- the credential values, encrypted by the engine's vault (versioned form, e.g. v1:<base64>)
    credentials           LONGTEXT      NOT NULL,
    sync_initial_days     INT           NOT NULL,
    sync_interval_seconds INT           NOT NULL,
    -- comma-separated entity collections to sync; empty = every collection the connector can list
    sync_entities         VARCHAR(1000) NOT NULL,
    created_at            BIGINT        NOT NULL,
    disconnected_at       BIGINT,
    -- when the stored records of a disconnected connection were purged
    purged_at             BIGINT,
    -- the connection that replaced this one on reconnect
    replaced_by           VARCHAR(40),
    CONSTRAINT fk_connection_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
);
CREATE UNIQUE INDEX ux_connections_token ON connections (token_hash);
-- newest-first keyset listing per organization
CREATE INDEX ix_connections_org_created ON connections (organization_id, created_at, id);
CREATE INDEX ix_connections_org_customer ON connections (organization_id, customer_id);

CREATE TABLE connection_status_history (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    connection_id VARCHAR(40)   NOT NULL,
    status        VARCHAR(32)   NOT NULL,
    reason        VARCHAR(1000),
    changed_at    BIGINT        NOT NULL,
    CONSTRAINT fk_status_history_connection FOREIGN KEY (connection_id) REFERENCES connections (id)
);
CREATE INDEX ix_status_history_connection ON connection_status_history (connection_id, changed_at, id);
