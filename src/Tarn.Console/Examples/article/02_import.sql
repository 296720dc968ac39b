-- The article, end to end. Step 2: data import,
--   insert into [stream_db.|batch_db.]order_table select ... from log_table;
-- Run: tarn DB_DIR --wait-jobs -f 02_import.sql
USE CATALOG my_hive;

-- Both imports run as continuous streaming jobs: every order that reaches log_table is copied into the real-time
-- table and into the partitioned offline table, with its day and hour partition derived from ts.
-- Tarn: the jobs run in the background of the process that opened the database and resume whenever it is opened
-- again, exactly once. Flink: the Hive streaming sink needs 'sink.partition-commit.*' options on batch_db.order_table.
SET 'execution.runtime-mode' = 'streaming';

INSERT INTO stream_db.order_table
SELECT id, amount, user_id, status, ts, DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH')
FROM ods_db.log_table;

INSERT INTO batch_db.order_table
SELECT id, amount, user_id, status, ts, DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH')
FROM ods_db.log_table;
