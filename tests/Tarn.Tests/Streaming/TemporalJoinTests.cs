using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.Planner.Expressions;
using Tarn.State;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// Event-time temporal joins (FOR SYSTEM_TIME AS OF an event-time attribute, joining a versioned table): the stream
/// operator against a reference (each probe row joins the latest version at or before its time), rows waiting for
/// the watermark, deletions, restart from state; and a streaming query over tables against the batch answer.
/// </summary>
public sealed class TemporalJoinTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-temporal-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add($"{(int)batch.KindOf(r)}:" + string.Join(",", batch.Rows.Columns.Select(c => Format(c.GetValue(r)))));
        }

        public void Watermark(long watermark) => Rows.Add($"wm {watermark}");
        public void Flush() { }
        public void Finish() => Rows.Add("end");
    }

    private static readonly DataType Time = DataType.Timestamp(3);

    /// <summary>Probe rows (id BIGINT, k BIGINT, t TIMESTAMP(3)) with times in milliseconds.</summary>
    private static ChangeBatch Probe(params (long Id, long? K, long Ms)[] rows)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.K ?? 0)], rows.Length);
        for (var i = 0; i < rows.Length; i++) if (rows[i].K is null) k.SetNull(i);
        return new ChangeBatch(new ColumnBatch([
            new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.Id)], rows.Length), k,
            new PrimitiveVector<long>(Time, [.. rows.Select(r => r.Ms * 1000)], rows.Length)], rows.Length));
    }

    /// <summary>Versions (k BIGINT, rate BIGINT, t TIMESTAMP(3)) with their change kinds.</summary>
    private static ChangeBatch Versions(params (long K, long Rate, long Ms, sbyte Kind)[] rows) =>
        new(new ColumnBatch([
            new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.K)], rows.Length),
            new PrimitiveVector<long>(DataType.BigInt, [.. rows.Select(r => r.Rate)], rows.Length),
            new PrimitiveVector<long>(Time, [.. rows.Select(r => r.Ms * 1000)], rows.Length)], rows.Length), [.. rows.Select(r => r.Kind)]);

    private static StreamTemporalJoin Join(OperatorState state, bool left, IChangeConsumer output, BoundExpression? residual = null)
    {
        DataType[] types = [DataType.BigInt, DataType.BigInt, Time, DataType.BigInt.WithNullable(true), DataType.BigInt.WithNullable(true), Time.WithNullable(true)];
        return new StreamTemporalJoin([BoundExpressions.Column(1, DataType.BigInt)], 2, [0], 2, residual, left, types, 3, state, new Tarn.Execution.ExecutionContext(), output);
    }

    private StateStore OpenStore(string name) => StateStore.Open(new StateStoreOptions { Directory = Path.Combine(_dir, name), IndexBuckets = 1 << 10, LogMemorySize = 1 << 22, PageSize = 1 << 16 });

    [Fact]
    public void Probe_rows_wait_for_the_watermark_and_join_the_version_valid_at_their_time()
    {
        using var store = OpenStore("a");
        using var session = store.NewSession();
        var output = new Collector();
        var join = Join(new StreamStateContext(session).ForNextOperator(), left: true, output);
        join.Right.Push(Versions((1, 110, 10, 0), (1, 120, 20, 0), (2, 200, 5, 0)));
        join.Left.Push(Probe((100, 1, 5), (101, 1, 15), (102, 1, 25), (103, 2, 30), (104, 3, 12), (105, null, 1)));
        // A NULL key cannot match: padded at once. The rest waits for both inputs' watermarks.
        Assert.Single(output.Rows);
        join.Left.Watermark(16);
        Assert.Single(output.Rows);
        join.Right.Watermark(16);
        Assert.Equal(
        [
            "0:105,N," + Ts(1) + ",N,N,N",
            "0:100,1," + Ts(5) + ",N,N,N",
            "0:104,3," + Ts(12) + ",N,N,N",
            "0:101,1," + Ts(15) + ",1,110," + Ts(10),
            "wm 16",
        ], output.Rows);
        // A version after the watermark does not change rows already emitted; a deletion ends key 2's versions.
        join.Right.Push(Versions((2, 0, 28, 3)));
        join.Left.Finish();
        join.Right.Finish();
        Assert.Equal(["0:102,1," + Ts(25) + ",1,120," + Ts(20), "0:103,2," + Ts(30) + ",N,N,N", "end"], output.Rows[5..]);
    }

    private static string Ts(long ms) => Format(new PrimitiveVector<long>(Time, [ms * 1000], 1).GetValue(0));

    private static string Format(object? value) => value switch
    {
        null => "N",
        DateTime d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Fact]
    public void Waiting_rows_and_versions_survive_a_restart_from_state()
    {
        using var store = OpenStore("b");
        using (var session = store.NewSession())
        {
            var first = new Collector();
            var join = Join(new StreamStateContext(session).ForNextOperator(), left: false, first);
            join.Right.Push(Versions((1, 110, 10, 0)));
            join.Left.Push(Probe((100, 1, 15)));
            join.Left.Flush();
            Assert.Empty(first.Rows);

            var second = new Collector();
            var restarted = Join(new StreamStateContext(session).ForNextOperator(), left: false, second);
            restarted.Left.Push(Probe((101, 1, 16)));
            restarted.Left.Finish();
            restarted.Right.Finish();
            Assert.Equal(["0:100,1," + Ts(15) + ",1,110," + Ts(10), "0:101,1," + Ts(16) + ",1,110," + Ts(10), "end"], second.Rows);
        }
    }

    [Fact]
    public void Operator_equals_the_latest_version_at_each_probe_time()
    {
        var version = Gen.Select(Gen.Long[0, 3], Gen.Long[0, 99], Gen.Long[0, 50], Gen.Int[0, 9]).Select((k, rate, t, kind) => (K: k, Rate: rate, Ms: t, Kind: (sbyte)(kind < 7 ? 0 : kind < 8 ? 1 : kind < 9 ? 2 : 3)));
        var probe = Gen.Select(Gen.Long[0, 4], Gen.Long[0, 60]).Select((k, t) => (K: k, Ms: t));
        var n = 0;
        Gen.Select(version.Array[0, 15], probe.Array[0, 15], Gen.Bool, Gen.Bool).Sample((versions, probes, left, residual) =>
        {
            using var store = OpenStore("p" + Interlocked.Increment(ref n)); // CsCheck samples in parallel: one directory each
            using var session = store.NewSession();
            var output = new Collector();
            // Residual: the rate is greater than the probe's id.
            var condition = residual ? BoundExpressions.Compare(ComparisonOperator.Greater, BoundExpressions.Column(4, DataType.BigInt), BoundExpressions.Column(0, DataType.BigInt)) : null;
            var join = Join(new StreamStateContext(session).ForNextOperator(), left, output, condition);
            if (versions.Length > 0) join.Right.Push(Versions(versions));
            if (probes.Length > 0) join.Left.Push(Probe([.. probes.Select((p, i) => ((long)i * 10, (long?)p.K, p.Ms))]));
            join.Left.Finish();
            join.Right.Finish();

            var expected = new List<(long Ms, int Seq, string Row)>();
            for (var i = 0; i < probes.Length; i++)
            {
                var (k, ms) = probes[i];
                // The last change per (key, time) wins; -U is ignored; -D deletes from its time.
                (long Ms, long Rate, bool Deleted)? best = null;
                foreach (var v in versions)
                {
                    if (v.K != k || v.Kind == 1 || v.Ms > ms) continue;
                    if (best is null || v.Ms >= best.Value.Ms) best = (v.Ms, v.Rate, v.Kind == 3);
                }
                var id = i * 10L;
                string row;
                if (best is { Deleted: false } b && (!residual || b.Rate > id)) row = $"0:{id},{k},{Ts(ms)},{k},{b.Rate},{Ts(b.Ms)}";
                else if (left) row = $"0:{id},{k},{Ts(ms)},N,N,N";
                else continue;
                expected.Add((ms, i, row));
            }
            var rows = expected.OrderBy(e => e.Ms).ThenBy(e => e.Seq).Select(e => e.Row).Append("end").ToList();
            Assert.Equal(rows, output.Rows);
        }, iter: 60);
    }

    [Fact]
    public void A_streaming_query_over_a_versioned_table_equals_the_batch_answer()
    {
        using var db = TarnDatabase.Open(Path.Combine(_dir, "db"));
        db.Execute("CREATE TABLE rates (currency STRING, rate INT, update_time TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR update_time AS update_time)");
        db.Execute("CREATE TABLE payments (id INT, currency STRING, pay_time TIMESTAMP(3), WATERMARK FOR pay_time AS pay_time)");
        db.Execute("INSERT INTO rates VALUES ('EUR', 110, TIMESTAMP '2024-01-01 10:00:00'), ('USD', 100, TIMESTAMP '2024-01-01 12:00:00')");
        db.Execute("INSERT INTO payments VALUES (1, 'EUR', TIMESTAMP '2024-01-01 09:00:00'), (2, 'EUR', TIMESTAMP '2024-01-01 11:00:00'), (3, 'USD', TIMESTAMP '2024-01-01 11:00:00'), (4, 'USD', TIMESTAMP '2024-01-01 13:00:00'), (5, NULL, TIMESTAMP '2024-01-01 13:00:00')");
        const string query = "SELECT p.id, r.rate FROM payments AS p LEFT JOIN rates FOR SYSTEM_TIME AS OF p.pay_time AS r ON p.currency = r.currency";
        static string Sorted(TarnResult result) =>
            string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));
        var batch = Sorted(db.Execute(query));
        Assert.Equal("1|NULL\n2|110\n3|NULL\n4|100\n5|NULL", batch);
        db.Execute("SET 'execution.runtime-mode' = 'streaming'");
        Assert.Equal(batch, Sorted(db.Execute(query)));
        Assert.Contains("TemporalJoin", string.Join("\n", db.Execute("EXPLAIN " + query).Rows.Select(r => string.Join(" ", r))), StringComparison.Ordinal);
    }
}
