-- The record store: the synced canonical records of every connection.
--
-- data is the canonical record JSON (Ironbridge ids in id and every reference field; without remote_data), raw the
-- source's record (served as remote_data on request). content_hash is the SHA-256 (hex) of the canonical data without
-- updated_at, so that an unchanged record is recognized and not rewritten.
CREATE TABLE records (
    connection_id VARCHAR(40)  NOT NULL,
    entity        VARCHAR(40)  NOT NULL,
    id            VARCHAR(40)  NOT NULL,
    remote_id     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    deleted_at    BIGINT,
    content_hash  CHAR(64)     NOT NULL,
    data          LONGTEXT     NOT NULL,
    raw           LONGTEXT,
    -- when Ironbridge last wrote the row, and when a full listing last saw the record (delete reconciliation)
    stored_at     BIGINT       NOT NULL,
    seen_at       BIGINT,
    PRIMARY KEY (connection_id, entity, id)
);
CREATE UNIQUE INDEX ux_records_remote ON records (connection_id, entity, remote_id);
CREATE INDEX ix_records_updated ON records (connection_id, entity, updated_at, id);

-- The filterable top-level fields of each record (status, number, remote_id, top-level references ...), one row per
-- field with a value, so that filter[field]=value is an indexed lookup. updated_at is copied from the record so that
-- a filtered list is an ordered index range scan.
CREATE TABLE record_filters (
    connection_id VARCHAR(40)  NOT NULL,
    entity        VARCHAR(40)  NOT NULL,
    record_id     VARCHAR(40)  NOT NULL,
    field         VARCHAR(64)  NOT NULL,
    field_value   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (connection_id, entity, record_id, field)
);
CREATE INDEX ix_record_filters_lookup
    ON record_filters (connection_id, entity, field, field_value, updated_at, record_id);
