using Tarn.Streaming;

namespace Tarn.Tests.Streaming;

/// <summary>
/// <c>SET 'state.checkpoint-interval'</c> (JOB-004): epochs commit output without checkpointing the state; a restart
/// restores the last state checkpoint and replays the input since then without emitting its output again.
/// </summary>
public sealed class DecoupledCheckpointTests : StreamingTestBase
{
    private const string Aggregate = "SELECT k, COUNT(*), SUM(v), MAX(seq) FROM src GROUP BY k";
    private const string Pairs = "SELECT a.seq, b.v FROM src a JOIN src b ON a.seq = b.seq + 1";

    [Fact]
    [Trait("Spec", "JOB-004")]
    public async Task A_restart_replays_the_epochs_after_the_state_checkpoint_without_duplicating_output()
    {
        long seq = 0;
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("CREATE TABLE src (seq BIGINT, k INT, v BIGINT)");
            db.Execute("CREATE TABLE agg (k INT, n BIGINT, s BIGINT, last_seq BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
            db.Execute("CREATE TABLE pairs (seq BIGINT, v BIGINT)");
            db.Execute("SET 'state.checkpoint-interval' = '1 h'");
            Streaming(db);
            db.Execute("INSERT INTO agg " + Aggregate);
            db.Execute("INSERT INTO pairs " + Pairs);
            Batch(db);
            for (var round = 0; round < 4; round++)
            {
                seq = Insert(db, seq, 30);
                await db.WaitForJobsAsync();
            }
            var records = db.Core.Jobs.List().Select(j => j.Record).ToList();
            Assert.Equal(2, records.Count);
            // The first epoch checkpointed the state; the later ones did not and are to be replayed.
            Assert.All(records, r =>
            {
                Assert.NotNull(r.CheckpointPositions);
                Assert.True(r.CheckpointEpoch < r.Epoch, $"checkpoint epoch {r.CheckpointEpoch}, epoch {r.Epoch}");
            });
            Assert.Equal(Sorted(db.Execute(Aggregate)), Sorted(db.Execute("SELECT * FROM agg")));
        }
        using (var db = TarnDatabase.Open(Dir))
        {
            seq = Insert(db, seq, 30);
            await db.WaitForJobsAsync();
            Assert.Equal(Sorted(db.Execute(Aggregate)), Sorted(db.Execute("SELECT * FROM agg")));
            Assert.Equal(Sorted(db.Execute(Pairs)), Sorted(db.Execute("SELECT * FROM pairs")));
            Assert.Empty(db.Execute("SELECT seq, COUNT(*) FROM pairs GROUP BY seq HAVING COUNT(*) > 1").Rows);
            Assert.Equal(seq - 1, Convert.ToInt64(db.Execute("SELECT COUNT(*) FROM pairs").GetValue(0, 0), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    [Trait("Spec", "JOB-004")]
    public async Task Replaying_a_primary_key_source_with_updates_and_deletes_re_derives_the_same_state()
    {
        const string query = "SELECT g, COUNT(*), SUM(amount), MIN(amount), MAX(amount) FROM orders GROUP BY g";
        var random = new Random(7);
        using (var db = TarnDatabase.Open(Dir))
        {
            db.Execute("CREATE TABLE orders (id INT, g INT, amount BIGINT, PRIMARY KEY (id) NOT ENFORCED)");
            db.Execute("CREATE TABLE totals (g INT, n BIGINT, s BIGINT, lo BIGINT, hi BIGINT, PRIMARY KEY (g) NOT ENFORCED)");
            db.Execute("SET 'state.checkpoint-interval' = '1 h'");
            Streaming(db);
            db.Execute("INSERT INTO totals " + query);
            Batch(db);
            for (var round = 0; round < 5; round++)
            {
                Change(db, random);
                await db.WaitForJobsAsync();
            }
            Assert.True(Assert.Single(db.Core.Jobs.List()).Record.CheckpointPositions is not null);
        }
        for (var reopen = 0; reopen < 2; reopen++)
        {
            using var db = TarnDatabase.Open(Dir);
            for (var round = 0; round < 3; round++)
            {
                Change(db, random);
                await db.WaitForJobsAsync();
            }
            Assert.Equal(Sorted(db.Execute(query)), Sorted(db.Execute("SELECT * FROM totals")));
        }
    }

    /// <summary>Upserts, updates and deletes of random keys of <c>orders</c>.</summary>
    private static void Change(TarnDatabase db, Random random)
    {
        var rows = string.Join(", ", Enumerable.Range(0, 20).Select(_ => $"({random.Next(40)}, {random.Next(5)}, {random.Next(-50, 100)})"));
        db.Execute($"INSERT INTO orders VALUES {rows}");
        db.Execute($"UPDATE orders SET amount = amount + 1 WHERE id % 7 = {random.Next(7)}");
        db.Execute($"DELETE FROM orders WHERE id % 9 = {random.Next(9)}");
    }

    [Fact]
    [Trait("Spec", "JOB-004")]
    public async Task Without_the_setting_every_epoch_checkpoints_the_state()
    {
        using var db = TarnDatabase.Open(Dir);
        db.Execute("CREATE TABLE src (seq BIGINT, k INT, v BIGINT)");
        db.Execute("CREATE TABLE agg (k INT, n BIGINT, s BIGINT, last_seq BIGINT, PRIMARY KEY (k) NOT ENFORCED)");
        Streaming(db);
        db.Execute("INSERT INTO agg " + Aggregate);
        Batch(db);
        Insert(db, Insert(db, 0, 10), 10);
        await db.WaitForJobsAsync();
        var record = Assert.Single(db.Core.Jobs.List()).Record;
        Assert.Null(record.CheckpointPositions);
        Assert.Equal(record.Epoch, record.CheckpointEpoch);
    }

    [Fact]
    [Trait("Spec", "JOB-004")]
    public void A_version_1_progress_record_still_reads_and_has_nothing_to_replay()
    {
        var record = new JobRecord
        {
            Id = new string('a', 32), Sql = "INSERT INTO t SELECT * FROM s", Catalog = "default_catalog", Database = "default_database",
            Options = new Dictionary<string, string> { ["execution.runtime-mode"] = "streaming" }, Epoch = 300,
            StateCheckpoint = Guid.NewGuid(), SourcePositions = [[1, 2]], RowsIn = 5, RowsOut = 4, LastCommitMicros = 7, LastCheckpointMicros = 6,
            CheckpointEpoch = 300,
        };
        var current = record.Encode();
        // Version 1 is version 3 without the checkpoint epoch (varuint 300 = 2 bytes), the absent replay positions
        // (1 byte) and the late-row count (varuint 0 = 1 byte).
        var v1 = current[..^4];
        v1[0] = 1;
        var read = JobRecord.Decode(v1);
        Assert.Null(read.CheckpointPositions);
        Assert.Equal(300, read.CheckpointEpoch);
        Assert.Equal(record.StateCheckpoint, read.StateCheckpoint);
        Assert.Equal(record.SourcePositions[0], read.SourcePositions[0]);
        var again = JobRecord.Decode(current);
        Assert.Equal(300, again.CheckpointEpoch);
        var decoupled = JobRecord.Decode((record with { CheckpointEpoch = 12, CheckpointPositions = [[9]] }).Encode());
        Assert.Equal(12, decoupled.CheckpointEpoch);
        Assert.Equal([9], Assert.Single(decoupled.CheckpointPositions!));
    }

    [Fact]
    public void A_state_checkpoint_interval_that_is_not_a_duration_is_rejected()
    {
        using var db = TarnDatabase.Open(Dir);
        Assert.Equal(SqlStates.InvalidParameterValue, Assert.Throws<TarnException>(() => db.Execute("SET 'state.checkpoint-interval' = 'often'")).SqlState);
    }

    private static long Insert(TarnDatabase db, long seq, int count)
    {
        var rows = string.Join(", ", Enumerable.Range(0, count).Select(i => $"({seq + i}, {(seq + i) % 7}, {(seq + i) * 3 % 101})"));
        db.Execute($"INSERT INTO src VALUES {rows}");
        return seq + count;
    }
}
