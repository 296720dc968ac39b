-- Variant of step 1's feed: the raw order log comes from a real Kafka topic.
-- Run it after 01_ods.sql (instead of, or as well as, the generator): tarn DB_DIR --wait-jobs -f 01_ods_kafka.sql
-- Replace localhost:9092 with your bootstrap servers. The topic holds JSON orders such as
--   {"id": 3001, "amount": 120, "user_id": 7, "status": "paid", "ts": "2024-01-01 10:05:00"}
USE CATALOG my_hive;
USE ods_db;

-- The article's Kafka table, in Flink's current option names (the legacy 'connector.type' = 'kafka' keys work too).
CREATE TABLE kafka_log (
    id BIGINT,
    amount DOUBLE,
    user_id BIGINT,
    status STRING,
    ts TIMESTAMP(3)
) WITH (
    'connector' = 'kafka',
    'topic' = 'tarn_orders',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'tarn-article',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);

-- A continuous job copies every Kafka message into the ODS table; the jobs of 02_import.sql take it from there.
SET 'execution.runtime-mode' = 'streaming';
INSERT INTO log_table SELECT id, amount, user_id, status, ts FROM kafka_log;
