-- Sessions of the embeddable connect flow (/connect/{token}, /v1/connect/**): an organization opens one for a customer,
-- the customer connects one system with it, and the organization exchanges the one-time code the page hands back for
-- the new connection's token.
-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11. Times are BIGINT epoch microseconds (UTC).
CREATE TABLE connect_sessions (
    id              VARCHAR(40)   NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40)   NOT NULL,
    -- SHA-256 (hex) of the session token (ibs_…); the token itself is never stored
    token_hash      CHAR(64)      NOT NULL,
    token_hint      VARCHAR(16)   NOT NULL,
    customer_id     VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- comma-separated system ids the customer may choose from; empty = every installed connector
    systems         VARCHAR(1000) NOT NULL,
    redirect_url    VARCHAR(2000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    created_at      BIGINT        NOT NULL,
    expires_at      BIGINT        NOT NULL,
    -- an attempt to connect is running until then (verifying credentials at the source); a crashed node's claim lapses
    claimed_until   BIGINT,
    -- the connection created in this session (at most one); the session token is spent once it is set
    connection_id   VARCHAR(40),
    completed_at    BIGINT,
    -- SHA-256 (hex) of the one-time code handed to the page, its expiry and when it was exchanged
    code_hash       CHAR(64),
    code_expires_at BIGINT,
    code_used_at    BIGINT,
    CONSTRAINT fk_connect_session_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
);
CREATE UNIQUE INDEX ux_connect_sessions_token ON connect_sessions (token_hash);
CREATE INDEX ix_connect_sessions_expires ON connect_sessions (expires_at);
