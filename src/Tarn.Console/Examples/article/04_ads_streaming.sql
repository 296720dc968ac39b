-- The article, end to end. Step 4b: the same statement in streaming mode, "continuous upserts to MySQL".
-- Run: tarn DB_DIR --wait-jobs -f 04_ads_streaming.sql
USE CATALOG my_hive;
USE stream_db;

-- The same INSERT as step 4a, now a continuous job: it reads every order from the start of order_with_user_age's
-- log, keeps each age's sum and count in its state, and upserts the age's row in mysql_table (by its primary key)
-- whenever new orders change the average. Caught up, mysql_table holds exactly the batch answer over all orders.
SET 'execution.runtime-mode' = 'streaming';

INSERT INTO mysql_table SELECT age, avg(amount) FROM order_with_user_age GROUP BY age;
