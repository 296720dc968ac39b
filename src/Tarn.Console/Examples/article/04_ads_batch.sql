-- The article, end to end. Step 4a: DWS/ADS in batch mode, "one-time output to MySQL".
-- Run: tarn DB_DIR -f 04_ads_batch.sql (after step 3 with --wait-jobs, from the same directory)
USE CATALOG my_hive;
USE stream_db;

-- The application's result table: average order amount per age, in the SQLite file (standing in for MySQL).
-- Its primary key lets the streaming job of step 4b update each age's row in place.
CREATE TABLE mysql_table (
    age INT,
    avg_amount DOUBLE,
    PRIMARY KEY (age) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = 'jdbc:sqlite:tarn-article.db',
    'table-name' = 'mysql_table',
    'sqlite.create-if-missing' = 'true'
);

-- Batch: one pass over the orders there are now, written once.
SET 'execution.runtime-mode' = 'batch';

INSERT INTO mysql_table SELECT age, avg(amount) FROM order_with_user_age GROUP BY age;

SELECT * FROM mysql_table ORDER BY age;
