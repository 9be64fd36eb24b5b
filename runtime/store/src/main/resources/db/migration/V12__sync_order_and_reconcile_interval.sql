-- Newest-first initial syncs and per-connection reconciliation intervals.
--
-- sync_state.cursor_order tells in which order the connector read when it returned the checkpointed cursor_value:
-- 'newest_first' for a checkpoint of a newest-first initial sync (its watermark is the snapshot mark, its state the
-- position of the descending walk), NULL for oldest first. An unfinished run is resumed in the order of its checkpoint.
ALTER TABLE sync_state ADD COLUMN cursor_order VARCHAR(16);

-- How often (seconds) the deletes of entities whose connector cannot report them are reconciled by comparing id sets.
ALTER TABLE connections ADD COLUMN sync_reconcile_seconds INT NOT NULL DEFAULT 86400;
