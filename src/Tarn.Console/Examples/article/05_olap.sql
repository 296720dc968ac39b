-- The article, end to end. Step 5: ad-hoc queries and OLAP, on the real-time tables, while the jobs run.
-- Run: tarn DB_DIR -f 05_olap.sql
-- Tarn: the real-time tables keep their history as columnar data, so no separate OLAP system is needed.
USE CATALOG my_hive;
SET 'execution.runtime-mode' = 'batch';

-- Orders and revenue by status, over the real-time table as of now.
SELECT status, count(*) AS orders, sum(amount) AS revenue
FROM stream_db.order_table
GROUP BY status
ORDER BY status;

-- The latest hour's orders in the partitioned table (the filter on the partition columns prunes the others).
SELECT ts_day, ts_hour, count(*) AS orders, max(amount) AS biggest
FROM batch_db.order_table
WHERE ts_day = (SELECT max(ts_day) FROM batch_db.order_table)
GROUP BY ts_day, ts_hour
ORDER BY ts_day DESC, ts_hour DESC
LIMIT 1;

-- The best customers by age group, on the joined DWD table.
SELECT age, count(*) AS orders, sum(amount) AS revenue
FROM stream_db.order_with_user_age
GROUP BY age
ORDER BY revenue DESC, age
LIMIT 5;

-- The result table the streaming job keeps up to date, next to the same aggregation recomputed in batch:
-- once the jobs have caught up, the two agree row for row.
SELECT * FROM stream_db.mysql_table ORDER BY age;

SELECT age, avg(amount) AS avg_amount FROM stream_db.order_with_user_age GROUP BY age ORDER BY age;

-- The jobs doing the work. Tarn: the system table tarn_jobs holds what SHOW JOBS prints (Flink's SHOW JOBS works too).
SELECT SUBSTRING(statement FROM 1 FOR 60) AS job, status, rows_in, rows_out FROM tarn_jobs WHERE status = 'RUNNING';
