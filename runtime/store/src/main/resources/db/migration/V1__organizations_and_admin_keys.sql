-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11.
-- Times are BIGINT microseconds since the epoch (UTC): no time zone or TIMESTAMP auto-update surprises.
CREATE TABLE organizations (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    credit_pool INT          NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE admin_api_keys (
    id              VARCHAR(40)  NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    key_hash        CHAR(64)     NOT NULL,
    key_hint        VARCHAR(16)  NOT NULL,
    created_at      BIGINT       NOT NULL,
    revoked_at      BIGINT,
    CONSTRAINT fk_admin_key_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
);
CREATE UNIQUE INDEX ux_admin_key_hash ON admin_api_keys (key_hash);
