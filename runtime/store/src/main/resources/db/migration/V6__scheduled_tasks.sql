-- db-scheduler's table (com.github.kagkarlsson:db-scheduler): the cluster-aware scheduler of the syncs. Every node
-- polls it; an execution is claimed by an optimistic update (picked, picked_by, version), a running one is kept alive
-- by last_heartbeat, and one whose node stopped heartbeating is revived and run by another node.
-- One execution per connection and entity: task_name 'ironbridge-sync', task_instance '<connection id>/<entity>'.
-- Columns as in db-scheduler's MySQL/MariaDB schema, with DATETIME(6) instead of TIMESTAMP(6) (MariaDB gives a
-- TIMESTAMP column an implicit ON UPDATE CURRENT_TIMESTAMP) and indexes created separately (H2).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB,
    execution_time       DATETIME(6)  NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(50),
    last_success         DATETIME(6),
    last_failure         DATETIME(6),
    consecutive_failures INT,
    last_heartbeat       DATETIME(6),
    version              BIGINT       NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX ix_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX ix_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX ix_scheduled_tasks_priority_time ON scheduled_tasks (priority, execution_time);
