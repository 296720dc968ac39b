-- The article, end to end. Step 1: the ODS layer and the two order tables.
-- Run the steps in order on a fresh database, each with --wait-jobs so the background jobs catch up:
--   tarn DB_DIR --wait-jobs -f 01_ods.sql
-- Written in Flink's spelling; comments marked "Tarn:" say where Tarn differs or adds something.

-- A catalog holds the metadata of the streaming and the batch tables alike, so both are plain SQL tables.
-- Flink: CREATE CATALOG my_hive WITH ('type' = 'hive', 'hive-conf-dir' = '...'). Tarn: its own catalog needs no Hive Metastore.
CREATE CATALOG my_hive;
USE CATALOG my_hive;

-- ODS, the raw data: log_table is where the application's order log lands.
-- In production it is a Kafka topic (01_ods_kafka.sql); here a generator writes into it.
CREATE DATABASE ods_db;
USE ods_db;

CREATE TABLE log_table (
    id BIGINT,
    amount DOUBLE,
    user_id BIGINT,
    status STRING,
    ts TIMESTAMP(3)
);

-- A seeded generator of 2000 orders for 50 users, spread over the last 6 hours.
-- Amounts are whole numbers: sums of whole numbers are exact, so the batch and the streaming averages are equal to
-- the last bit (doubles summed in a different order can differ in the last bit).
-- Tarn: 'seed' is Tarn's option (the same seed gives the same rows); Flink's datagen has no 'seed', remove it there.
CREATE TABLE log_generator (
    id BIGINT,
    amount INT,
    user_id BIGINT,
    status_code INT,
    ts TIMESTAMP(3)
) WITH (
    'connector' = 'datagen',
    'number-of-rows' = '2000',
    'seed' = '42',
    'fields.id.kind' = 'sequence',
    'fields.id.start' = '1',
    'fields.id.end' = '2000',
    'fields.amount.min' = '1',
    'fields.amount.max' = '500',
    'fields.user_id.min' = '1',
    'fields.user_id.max' = '50',
    'fields.status_code.min' = '0',
    'fields.status_code.max' = '2',
    'fields.ts.max-past' = '6 h'
);

-- Feed the ODS: one batch of raw orders (more arrive later while the jobs run).
INSERT INTO log_table
SELECT id, CAST(amount AS DOUBLE), user_id,
       CASE status_code WHEN 0 THEN 'created' WHEN 1 THEN 'paid' ELSE 'shipped' END,
       ts
FROM log_generator;

-- The real-time warehouse: stream_db.order_table (the article's first CREATE TABLE, its "..." filled in).
-- The article declares it 'connector.type' = 'kafka'. Tarn: a table without a connector is a native unified table,
-- an append log that streaming jobs read continuously AND columnar data that batch queries scan, so no Kafka is
-- needed for the real-time layer (01_ods_kafka.sql reads the raw log from a real Kafka instead).
CREATE DATABASE stream_db;
USE stream_db;

CREATE TABLE order_table (
    id BIGINT,
    amount DOUBLE,
    user_id BIGINT,
    status STRING,
    ts TIMESTAMP(3),
    ts_day STRING,
    ts_hour STRING,
    -- Processing time, for the dimension join's FOR SYSTEM_TIME AS OF order_table.proctime (03_dimension.sql).
    proctime AS PROCTIME()
);

-- The offline warehouse: batch_db.order_table has the same columns, partitioned by day and hour.
-- The article writes PARTITIONED BY after LIKE; Flink's grammar puts it before, as here. Tarn accepts both orders.
-- The article's WITH ('connector.type' = 'hive', ...) is not needed: in Tarn this is again a native table, and as
-- unified as the other one (a stream and partitions at once).
CREATE DATABASE batch_db;
USE batch_db;

CREATE TABLE order_table
PARTITIONED BY (ts_day, ts_hour)
LIKE stream_db.order_table (EXCLUDING OPTIONS);
