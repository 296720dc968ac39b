namespace Tarn.Tests.Streaming;

/// <summary>Streaming jobs end to end: submission, continuous processing, waiting, restart, stop and errors.</summary>
public sealed class StreamingJobTests : StreamingTestBase
{
    [Fact]
    public async Task Insert_only_job_copies_every_row_including_later_ones()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (id BIGINT, name STRING, amount INT)");
        db.Execute("CREATE TABLE dst (id BIGINT, label STRING)");
        db.Execute("INSERT INTO src VALUES (1, 'a', 10), (2, 'b', -5), (3, NULL, 7)");
        Streaming(db);
        var submitted = db.Execute("INSERT INTO dst SELECT id * 10, upper(name) FROM src WHERE amount > 0");
        Assert.StartsWith("Job ID: ", submitted.Message, StringComparison.Ordinal);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal("10|A\n30|NULL", Sorted(db.Execute("SELECT * FROM dst")));
        db.Execute("INSERT INTO src VALUES (4, 'd', 1)");
        await db.WaitForJobsAsync();
        Assert.Equal("10|A\n30|NULL\n40|D", Sorted(db.Execute("SELECT * FROM dst")));
    }

    [Fact]
    public async Task Group_aggregate_job_equals_the_batch_answer_through_updates_and_deletes()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE orders (id BIGINT, customer STRING, amount DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED)");
        db.Execute("CREATE TABLE totals (customer STRING, n BIGINT, total DECIMAL(38, 2), biggest DECIMAL(10, 2), smallest DECIMAL(10, 2), kinds BIGINT, PRIMARY KEY (customer) NOT ENFORCED)");
        db.Execute("INSERT INTO orders VALUES (1, 'x', 5.00), (2, 'x', 7.50), (3, 'y', 1.25)");
        const string query = "SELECT customer, COUNT(*), SUM(amount), MAX(amount), MIN(amount), COUNT(DISTINCT amount) FROM orders GROUP BY customer";
        Streaming(db);
        db.Execute("INSERT INTO totals " + query);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM totals")));

        db.Execute("UPDATE orders SET amount = 1.00 WHERE id = 2");
        db.Execute("DELETE FROM orders WHERE id = 3");
        db.Execute("INSERT INTO orders VALUES (4, 'z', 3.00)");
        await db.WaitForJobsAsync();
        Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM totals")));
        Assert.DoesNotContain("y|", Sorted(db.Execute("SELECT * FROM totals")), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "JOB-001")]
    [Trait("Spec", "JOB-003")] // closing the database changes no status
    public async Task A_job_resumes_after_the_database_is_reopened_without_duplicating_output()
    {
        const string query = "SELECT k, COUNT(*), SUM(v) FROM src GROUP BY k";
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("CREATE TABLE src (k INT, v BIGINT)");
            db.Execute("CREATE TABLE agg (k INT, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
            db.Execute("CREATE TABLE copy (k INT, v BIGINT)");
            db.Execute("INSERT INTO src VALUES (1, 10), (2, 20), (1, 5)");
            Streaming(db);
            db.Execute("INSERT INTO agg " + query);
            db.Execute("INSERT INTO copy SELECT * FROM src");
            await db.WaitForJobsAsync();
        }
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("INSERT INTO src VALUES (2, 1), (3, 3)");
            await db.WaitForJobsAsync();
            Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM agg")));
            Assert.Equal(Sorted(db.Execute("SELECT * FROM src")), Sorted(db.Execute("SELECT * FROM copy")));
            var jobs = db.Execute("SHOW JOBS").Rows.ToList();
            Assert.Equal(2, jobs.Count);
            Assert.All(jobs, j => Assert.Equal("RUNNING", j[2]));
        }
    }

    [Fact]
    [Trait("Spec", "JOB-003")]
    public async Task Stop_job_ends_processing_and_is_shown_as_stopped()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (v INT)");
        db.Execute("CREATE TABLE dst (v INT)");
        Streaming(db);
        var id = (string)db.Execute("INSERT INTO dst SELECT v FROM src").GetValue(0, 0)!;
        db.Execute("INSERT INTO src VALUES (1)"); // in streaming mode this is a job too, over a bounded source: it finishes
        Batch(db);
        await db.WaitForJobsAsync();
        db.Execute($"STOP JOB '{id}'");
        db.Execute("INSERT INTO src VALUES (2)");
        await db.WaitForJobsAsync();
        var row = db.Execute("SHOW JOBS").Rows.Single(r => (string)r[0]! == id);
        Assert.Equal("STOPPED", row[2]);
        Assert.Equal("1", Sorted(db.Execute("SELECT * FROM dst")));
        var error = Assert.Throws<TarnException>(() => db.Execute("STOP JOB 'nope'"));
        Assert.Equal("42704", error.SqlState);
    }

    [Fact]
    public void An_aggregate_into_a_table_without_primary_key_is_rejected_at_submission()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT)");
        db.Execute("CREATE TABLE dst (k INT, n BIGINT)");
        Streaming(db);
        var error = Assert.Throws<TarnException>(() => db.Execute("INSERT INTO dst SELECT k, COUNT(*) FROM src GROUP BY k"));
        Assert.Equal("0A000", error.SqlState);
        Assert.Contains("primary key", error.Message, StringComparison.Ordinal);
        Assert.Empty(db.Execute("SHOW JOBS").Rows);
    }

    [Fact]
    public void Explain_in_streaming_mode_shows_each_nodes_changelog_mode()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v BIGINT)");
        Streaming(db);
        var plan = string.Join("\n", db.Execute("EXPLAIN SELECT k, SUM(v) FROM src WHERE v > 0 GROUP BY k").Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Aggregate.*changelogMode=\[I,UB,UA,D\]", plan);
        Assert.Matches(@"Scan .*src.*changelogMode=\[I\]", plan);
    }

    [Fact]
    public async Task Tarn_jobs_system_table_reports_progress()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (v INT)");
        db.Execute("CREATE TABLE dst (v INT)");
        db.Execute("INSERT INTO src VALUES (1), (2), (3)");
        Streaming(db);
        var id = (string)db.Execute("INSERT INTO dst SELECT v FROM src").GetValue(0, 0)!;
        Batch(db);
        await db.WaitForJobsAsync();
        var row = db.Execute("SELECT job_id, status, rows_in, rows_out, epoch >= 1, input_lag, last_commit IS NOT NULL FROM tarn_jobs").Rows.Single();
        Assert.Equal(new object?[] { id, "RUNNING", 3L, 3L, true, 0L, true }, row);
    }

    [Fact]
    public async Task Group_state_older_than_the_state_ttl_is_forgotten()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v BIGINT)");
        db.Execute("CREATE TABLE agg (k INT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("CREATE TABLE agg_kept (k INT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO agg_kept SELECT k, SUM(v) FROM src GROUP BY k");
        db.Execute("SET 'table.exec.state.ttl' = '300 ms'");
        db.Execute("INSERT INTO agg SELECT k, SUM(v) FROM src GROUP BY k");
        Batch(db);
        db.Execute("INSERT INTO src VALUES (1, 1)");
        await db.WaitForJobsAsync();
        await Task.Delay(700); // longer than the TTL: the key's state expires
        db.Execute("INSERT INTO src VALUES (1, 2)");
        await db.WaitForJobsAsync();
        Assert.Equal("1|2", Sorted(db.Execute("SELECT * FROM agg")));
        Assert.Equal("1|3", Sorted(db.Execute("SELECT * FROM agg_kept")));
        Assert.Throws<TarnException>(() => db.Execute("SET 'table.exec.state.ttl' = 'soon'"));
    }

    [Fact]
    public async Task A_statement_set_runs_as_one_job_feeding_every_sink()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v BIGINT)");
        db.Execute("CREATE TABLE copy (k INT, v BIGINT)");
        db.Execute("CREATE TABLE sums (k INT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        db.Execute("CREATE TABLE nothing (k INT, v BIGINT) WITH ('connector' = 'blackhole')");
        db.Execute("INSERT INTO src VALUES (1, 10), (2, 20), (1, 1)");
        Streaming(db);
        db.Execute("""
            EXECUTE STATEMENT SET BEGIN
              INSERT INTO copy SELECT k, v FROM src;
              INSERT INTO sums SELECT k, SUM(v) FROM src GROUP BY k;
              INSERT INTO nothing SELECT * FROM src;
            END
            """);
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Single(db.Execute("SHOW JOBS").Rows);
        Assert.Equal("1|1\n1|10\n2|20", Sorted(db.Execute("SELECT * FROM copy")));
        Assert.Equal("1|11\n2|20", Sorted(db.Execute("SELECT * FROM sums")));
        Assert.Equal(8L, db.Execute("SELECT rows_out FROM tarn_jobs").GetValue(0, 0)); // 3 copies, 3 discarded, 2 sums (one batch)
    }

    [Fact]
    public async Task A_job_prints_an_updating_query_to_a_print_table()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (k INT, v BIGINT)");
        db.Execute("CREATE TABLE out_print (k INT, s BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'job')");
        db.Execute("INSERT INTO src VALUES (1, 10), (2, 20), (1, 1)");
        Streaming(db);
        db.Execute("INSERT INTO out_print SELECT k, SUM(v) FROM src GROUP BY k");
        Batch(db);
        await db.WaitForJobsAsync();
        Assert.Equal("RUNNING", db.Execute("SELECT status FROM tarn_jobs").GetValue(0, 0));
        Assert.Equal(2L, db.Execute("SELECT rows_out FROM tarn_jobs").GetValue(0, 0));
    }
}
