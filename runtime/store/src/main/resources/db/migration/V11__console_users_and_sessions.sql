-- The web console's logins: console users (email and password per organization), console sessions (a cookie), and
-- the failed logins that throttle password guessing.
-- Portable SQL: runs unchanged on H2 (MODE=MariaDB) and MariaDB 10.11. Times are BIGINT epoch microseconds (UTC).
CREATE TABLE console_users (
    id              VARCHAR(40)  NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40)  NOT NULL,
    -- trimmed and lower-cased by the engine; unique per organization
    email           VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    -- self-describing slow hash: pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>
    password_hash   VARCHAR(255) NOT NULL,
    created_at      BIGINT       NOT NULL,
    CONSTRAINT fk_console_user_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
);
CREATE UNIQUE INDEX ux_console_user_org_email ON console_users (organization_id, email);
-- a login gives the email only (the organization is optional)
CREATE INDEX ix_console_user_email ON console_users (email);

CREATE TABLE console_sessions (
    -- SHA-256 (hex) of the session token (the cookie's value); the token itself is never stored
    token_hash      CHAR(64)    NOT NULL PRIMARY KEY,
    organization_id VARCHAR(40) NOT NULL,
    -- the console user, or null for a session opened with an admin API key
    user_id         VARCHAR(40),
    -- the admin API key a session was opened with (it ends when the key is revoked), or null
    admin_key_id    VARCHAR(40),
    -- sent back by the console in X-CSRF-Token on every unsafe request
    csrf_token      VARCHAR(64) NOT NULL,
    created_at      BIGINT      NOT NULL,
    last_seen_at    BIGINT      NOT NULL,
    -- min(last_seen_at + idle timeout, created_at + absolute lifetime)
    expires_at      BIGINT      NOT NULL,
    CONSTRAINT fk_console_session_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
    CONSTRAINT fk_console_session_user FOREIGN KEY (user_id) REFERENCES console_users (id)
);
CREATE INDEX ix_console_session_user ON console_sessions (user_id);
CREATE INDEX ix_console_session_expires ON console_sessions (expires_at);

CREATE TABLE console_login_failures (
    id        BIGINT   NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- SHA-256 (hex) of what was throttled: 'email:<email>' or 'ip:<client address>'
    subject   CHAR(64) NOT NULL,
    failed_at BIGINT   NOT NULL
);
CREATE INDEX ix_console_login_failure_subject ON console_login_failures (subject, failed_at);
CREATE INDEX ix_console_login_failure_at ON console_login_failures (failed_at);
