-- The article, end to end. Step 3: the dimension table and the dimension join (DWD).
-- Run: tarn DB_DIR --wait-jobs -f 03_dimension.sql
-- The streaming dimension table lives in the SQLite file tarn-article.db, created in the current directory
-- (run every step from the same directory).
USE CATALOG my_hive;
SET 'execution.runtime-mode' = 'batch';

-- The offline warehouse's user dimension, loaded in batch: 50 users with their age and address.
USE batch_db;

CREATE TABLE user_info (
    user_id BIGINT,
    age INT,
    address STRING,
    PRIMARY KEY (user_id) NOT ENFORCED
);

CREATE TABLE user_generator (
    user_id BIGINT,
    age INT,
    address STRING
) WITH (
    'connector' = 'datagen',
    'number-of-rows' = '50',
    'seed' = '7',
    'fields.user_id.kind' = 'sequence',
    'fields.user_id.start' = '1',
    'fields.user_id.end' = '50',
    'fields.age.min' = '18',
    'fields.age.max' = '30',
    'fields.address.length' = '8'
);

INSERT INTO user_info SELECT user_id, age, address FROM user_generator;

-- The streaming dimension table (the article's "stream dimension table"): a JDBC table that streaming jobs look up
-- by key. Here the JDBC database is SQLite, standing in for MySQL.
-- Tarn: 'sqlite.create-if-missing' creates the SQLite file and table (Flink's JDBC connector expects them to exist).
USE stream_db;

CREATE TABLE user_info (
    user_id BIGINT,
    age INT,
    address STRING,
    PRIMARY KEY (user_id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = 'jdbc:sqlite:tarn-article.db',
    'table-name' = 'user_info',
    'sqlite.create-if-missing' = 'true'
);

-- Import the batch dimension into the streaming one (rerun it whenever batch_db.user_info changes).
INSERT INTO user_info SELECT * FROM batch_db.user_info;

-- DWD: every order with its user's age. The article's "insert into order_with_user_age select * ..." with the
-- target table declared and the columns named (SELECT * would also return proctime and both user_id columns).
CREATE TABLE order_with_user_age (
    id BIGINT,
    amount DOUBLE,
    user_id BIGINT,
    status STRING,
    ts TIMESTAMP(3),
    age INT
);

-- A continuous job: each order looks up its user in the SQLite table when it is processed (a lookup join).
SET 'execution.runtime-mode' = 'streaming';

INSERT INTO order_with_user_age
SELECT order_table.id, order_table.amount, order_table.user_id, order_table.status, order_table.ts, user_info.age
FROM order_table
JOIN user_info FOR SYSTEM_TIME AS OF order_table.proctime ON user_info.user_id = order_table.user_id;
