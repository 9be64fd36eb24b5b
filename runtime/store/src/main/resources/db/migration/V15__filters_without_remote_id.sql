-- A filter on remote_id is answered from records' own unique index (ux_records_remote): its record_filters rows only
-- doubled that index, and every change of a record rewrote them (filter rows carry the record's updated_at, so each
-- change moves all of a record's entries in ix_record_filters_lookup, at random places of a large index).
DELETE FROM record_filters WHERE field = 'remote_id';
