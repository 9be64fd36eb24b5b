-- The request log: one index less to update per entry written (issue #7, the cost of logging under load).
-- ix_request_logs_connection served only the connection filter of GET /v1/admin/logs; that filter now walks the
-- organization's entries newest first (ix_request_logs_org), like the status, code and text filters, and stops at
-- the end of the page. ix_request_logs_org (listings, retention) and ix_request_logs_request_id (one entry by its
-- request id) stay.
DROP INDEX ix_request_logs_connection ON request_logs;
