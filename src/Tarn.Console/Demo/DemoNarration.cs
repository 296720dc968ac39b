namespace Tarn.Console.Demo;

/// <summary>The demo's explanations of each step, in plain words (the scripts' comments explain each statement).</summary>
internal static class DemoNarration
{
    public const string Intro = """
        This demo builds the warehouse of the article "Can Flink Unify Real-Time and Offline Data Warehouses?" and
        runs its SQL, statement by statement. The article needs Kafka for the real-time layer, Hive for the offline
        one, MySQL for results and a separate OLAP system for ad-hoc queries. Here everything is one embedded Tarn
        database plus a SQLite file standing in for MySQL: no other service runs.
        """;

    public const string Ods = """
        ODS is the raw data as it arrives. A generator writes orders into ods_db.log_table. Then the article's two
        order tables are declared: stream_db.order_table for the real-time warehouse (Kafka in the article) and
        batch_db.order_table for the offline one (Hive, partitioned by day and hour). In Tarn both are native unified
        tables: each is at once an append log that streaming jobs follow and columnar partitions that batch queries
        scan, so the "stream" and the "batch" table differ only in how they are partitioned.
        """;

    public const string OdsKafka = """
        With --kafka, a streaming job also copies every JSON message of topic tarn_orders into log_table, from the
        earliest offset. Produce orders to the topic while the demo runs and they flow through every later step (an
        unreachable broker only leaves that job waiting: the rest of the demo runs on the generated orders).
        """;

    public const string Import = """
        Data import: the same INSERT INTO ... SELECT ... FROM log_table fills both order tables. In streaming mode
        each INSERT becomes a continuous job that runs in the background of this process, reads log_table's log
        from where it left off and commits its output exactly once. The demo waits until both have caught up.
        """;

    public const string Dimension = """
        Dimension join: user_info is loaded in batch into the offline warehouse, then copied into a JDBC table (a
        SQLite file here, MySQL in the article) that streaming jobs can look up by key. A job joins each order with
        its user's row FOR SYSTEM_TIME AS OF the order's processing time and writes the detail layer (DWD)
        stream_db.order_with_user_age.
        """;

    public const string NativeResultTables = """
        (This build has no SQLite sink yet, so the demo runs stream_db.user_info and mysql_table as native
        primary-key tables: the switch ResultTables.InSqlite in src/Tarn.Console/Demo. The scripts keep the JDBC tables.)
        """;

    public const string AdsBatch = """
        DWS/ADS: the average order amount per age, written into mysql_table, the table an application reads. First
        in batch mode: one pass over the orders there are now, written once.
        """;

    public const string AdsStreaming = """
        Now the very same INSERT in streaming mode: a continuous job that keeps each age's sum and count in its
        state and upserts the age's row in mysql_table whenever new orders change the average.
        """;

    public const string Live = """
        More orders arrive while the jobs run: a second generator streams as many orders again into log_table,
        a few hundred per second. Meanwhile ad-hoc queries read the real-time table as it grows; no export to an
        OLAP system is needed, because the real-time tables keep every row as queryable columnar data.
        """;

    public const string Olap = """
        The input has stopped and the jobs have caught up. The article's ad-hoc and OLAP queries (05_olap.sql) on
        the real-time and the partitioned tables, then mysql_table as the streaming job left it next to the same
        aggregation recomputed in batch over all orders.
        """;

    public const string Verdict = """
        The product's promise: a streaming job's result, once caught up, equals the batch answer over the same data.
        """;
}
