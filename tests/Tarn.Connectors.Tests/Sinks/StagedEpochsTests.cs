using CsCheck;
using Tarn.Connectors.Sinks;
using Tarn.Execution.Streaming;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Sinks;

public sealed class StagedEpochsTests : IDisposable
{
    private static readonly DataType[] Types = [DataType.BigInt, DataType.String];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-staged-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    internal static ChangeBatch Batch(IReadOnlyList<(sbyte Kind, long? K, string? V)> rows)
    {
        var k = new PrimitiveVector<long>(DataType.BigInt, Math.Max(rows.Count, 1));
        var v = new BinaryVector(DataType.String, Math.Max(rows.Count, 1));
        var kinds = new sbyte[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            kinds[i] = rows[i].Kind;
            if (rows[i].K is { } key) k.Append(key); else k.AppendNull();
            if (rows[i].V is { } value) v.Append(value); else v.AppendNull();
        }
        return new ChangeBatch(new ColumnBatch([k, v], rows.Count), kinds.All(x => x == 0) ? null : kinds);
    }

    internal static List<string> Rows(IEnumerable<ChangeBatch> batches)
    {
        var result = new List<string>();
        foreach (var b in batches)
            for (var r = 0; r < b.RowCount; r++)
                result.Add($"{(int)b.KindOf(r)}:{b.Rows[0].GetValue(r) ?? "null"}:{b.Rows[1].GetValue(r) ?? "null"}");
        return result;
    }

    [Fact]
    public void Staged_epochs_read_back_as_written()
    {
        var row = Gen.Select(Gen.SByte[0, 3], Gen.Long.Nullable(), Gen.String["aé'\"|\n"].Null());
        Gen.Select(row.List[0, 20].List[0, 4], Gen.Long[0, 1_000_000]).Sample((batches, epoch) =>
        {
            var staged = new StagedEpochs(Path.Combine(_dir, Guid.NewGuid().ToString("N")), Types); // samples run in parallel
            var input = batches.Select(Batch).ToList();
            staged.Stage(epoch, input);
            Assert.Equal([epoch], staged.Epochs());
            Assert.Equal(Rows(input), Rows(staged.Read(epoch)));
            staged.Delete(epoch);
            Assert.Empty(staged.Epochs());
        }, iter: 100);
    }

    [Fact]
    public void A_flipped_byte_is_reported_as_corruption_never_returned()
    {
        var staged = new StagedEpochs(_dir, Types);
        staged.Stage(7, [Batch([(0, 1, "one"), (3, 2, "two")])]);
        var path = Directory.GetFiles(_dir, "*.stage").Single();
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            File.WriteAllBytes(path, copy);
            var e = Assert.Throws<TarnException>(() => staged.Read(7));
            Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
        }
    }

    /// <summary>A target that remembers what it applied, with the epoch marker, "in one transaction".</summary>
    private sealed class ListSink : ExactlyOnceSink
    {
        private readonly List<string> _target;
        private readonly long[] _marker;

        public ListSink(SinkContext context, List<string> target, long[] marker) : base(context, Types)
        {
            _target = target;
            _marker = marker;
            Recover();
        }

        protected override long LastAppliedEpoch() => _marker[0];

        protected override void Apply(long epoch, IReadOnlyList<ChangeBatch> changes)
        {
            _target.AddRange(Rows(changes));
            _marker[0] = epoch;
        }

        public override void Dispose() { }
    }

    [Theory]
    [InlineData(false, false)] // crashed before the job committed epoch 2: the staged epoch is dropped (the job replays it)
    [InlineData(true, false)]  // crashed after the job's commit, before the target applied it: recovery applies it
    [InlineData(true, true)]   // crashed after the target applied it, before the file was deleted: not applied twice
    public void Recovery_publishes_each_committed_epoch_exactly_once(bool jobCommitted, bool targetApplied)
    {
        var target = new List<string>();
        long[] marker = [-1];
        var sink = new ListSink(new SinkContext("job", 0, _dir, 0), target, marker);
        sink.Write(Batch([(0, 1, "a")]));
        sink.PreCommit(1);
        sink.Commit(1);
        sink.Write(Batch([(0, 2, "b")]));
        sink.PreCommit(2);
        if (targetApplied) { target.Add("0:2:b"); marker[0] = 2; }
        // crash: a new run opens the sink with the job's committed epoch
        _ = new ListSink(new SinkContext("job", 0, _dir, jobCommitted ? 2 : 1), target, marker);
        Assert.Equal(jobCommitted ? ["0:1:a", "0:2:b"] : ["0:1:a"], target);
        Assert.Empty(Directory.GetFiles(_dir, "*.stage"));
    }
}
