-- Tarn quickstart: the article's order table as one Tarn table that is both a log and partitioned columnar data.
-- Safe to run repeatedly: every run appends another day of orders.
CREATE CATALOG IF NOT EXISTS my_hive;
USE CATALOG my_hive;
CREATE DATABASE IF NOT EXISTS batch_db;
USE batch_db;

CREATE TABLE IF NOT EXISTS order_table (
    id long,
    amount double,
    user_id long,
    status string,
    ts timestamp,
    ts_day string,
    ts_hour string
) PARTITIONED BY (ts_day, ts_hour);

CREATE TABLE IF NOT EXISTS user_info (
    user_id long,
    age int,
    address string,
    PRIMARY KEY (user_id) NOT ENFORCED
);

INSERT INTO order_table VALUES
    (1, 25.50, 100, 'paid',    TIMESTAMP '2024-01-01 10:05:00', '2024-01-01', '10'),
    (2, 12.00, 101, 'created', TIMESTAMP '2024-01-01 10:40:00', '2024-01-01', '10'),
    (3, 99.90, 100, 'paid',    TIMESTAMP '2024-01-01 11:15:00', '2024-01-01', '11'),
    (4,  5.00, 102, 'shipped', TIMESTAMP '2024-01-02 09:00:00', '2024-01-02', '09');

-- Batch query over the partitioned, columnar data (partition pruning on ts_day).
SELECT ts_day, status, count(*) AS orders, sum(amount) AS revenue
FROM order_table
WHERE ts_day >= '2024-01-01'
GROUP BY ts_day, status
ORDER BY ts_day, status;

-- Time travel: the table as of its first snapshot.
SELECT count(*) AS orders_in_first_snapshot FROM order_table /*+ OPTIONS('scan.snapshot-id'='1') */;

SHOW TABLES;
DESCRIBE order_table;

-- The same table as a stream: the streaming runtime reads its log and answers the same query incrementally
-- (its changelog, applied, equals the batch answer). 'changelog' shows the changes themselves.
SET 'execution.runtime-mode' = 'streaming';
SET 'sql-client.execution.result-mode' = 'changelog';
SELECT ts_day, count(*) AS orders, sum(amount) AS revenue FROM order_table GROUP BY ts_day;

SET 'execution.runtime-mode' = 'batch';
