using System.Globalization;
using CsCheck;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.Streaming.Operators;
using Tarn.Execution.Streaming.State;
using Tarn.State;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Tests.Streaming;

/// <summary>
/// The event-time sort in front of a row-time OVER aggregate on random out-of-order input: exactly the rows behind the
/// watermark when they arrive are reported (with their time and that watermark), the count matches, and every other
/// row is released once.
/// </summary>
public sealed class EventTimeSortLateRowTests : IDisposable
{
    private static readonly DataType Ts = DataType.Timestamp(3);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-etsort-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Collects column 1 (the row id) of released rows, or the late-row table's rows as "event|watermark|json".</summary>
    private sealed class Collector : IChangeConsumer
    {
        public List<string> Rows { get; } = [];

        public void Push(ChangeBatch batch)
        {
            for (var r = 0; r < batch.RowCount; r++)
                Rows.Add(batch.Rows.ColumnCount == 2
                    ? Convert.ToString(batch.Rows.Columns[1].GetValue(r), CultureInfo.InvariantCulture)!
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{((PrimitiveVector<long>)batch.Rows.Columns[2]).Values[r]}|{((PrimitiveVector<long>)batch.Rows.Columns[3]).Values[r]}|{batch.Rows.Columns[4].GetValue(r)}"));
        }

        public void Watermark(long watermark) { }

        public void Flush() { }

        public void Finish() { }
    }

    [Fact]
    public void Exactly_the_rows_behind_the_watermark_are_reported()
    {
        // Per row: how far back from the running maximum its time is (ms), and whether the batch ends after it.
        var genRow = Gen.Select(Gen.Int[0, 3000], Gen.Int[0, 8000], Gen.Int[0, 3]).Select((advance, back, brk) => (Advance: advance, Back: back % 2 == 0 ? back : 0, Ends: brk == 0));
        Gen.Select(genRow.List[1, 50], Gen.Int[0, 4000]).Sample((rows, delay) =>
        {
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
            try
            {
                using var store = StateStore.Open(new StateStoreOptions { Directory = dir });
                using var session = store.NewSession();
                var released = new Collector();
                var late = new Collector();
                var sort = new StreamEventTimeSort(0, [Ts, DataType.BigInt], new StreamStateContext(session).ForNextOperator(), released)
                {
                    LateRowReporter = new LateRowReporter("job", "EventTimeSort#1", ["ts", "id"], late),
                };
                var expectedLate = new List<string>();
                var watermark = long.MinValue;
                var clock = 1_700_000_000_000L;
                var max = long.MinValue;
                var times = new PrimitiveVector<long>(Ts, rows.Count);
                var ids = new PrimitiveVector<long>(DataType.BigInt, rows.Count);
                for (var i = 0; i < rows.Count; i++)
                {
                    clock += rows[i].Advance;
                    var t = clock - rows[i].Back;
                    times.Append(t * 1000);
                    ids.Append(i);
                    if (t < watermark)
                        expectedLate.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{t * 1000}|{watermark * 1000}|{{\"ts\":\"{DateTime.UnixEpoch.AddMilliseconds(t):yyyy-MM-dd HH:mm:ss.fff}\",\"id\":{i}}}"));
                    max = Math.Max(max, t);
                    if (!rows[i].Ends && i < rows.Count - 1) continue;
                    sort.Push(new ChangeBatch(new ColumnBatch([times, ids], times.Count)));
                    times = new PrimitiveVector<long>(Ts, rows.Count);
                    ids = new PrimitiveVector<long>(DataType.BigInt, rows.Count);
                    watermark = Math.Max(watermark, max - delay);
                    sort.Watermark(watermark);
                }
                sort.Watermark(long.MaxValue);
                sort.Finish();
                Assert.Equal(expectedLate.Count, sort.LateRows);
                Assert.Equal(expectedLate.Order(StringComparer.Ordinal), late.Rows.Order(StringComparer.Ordinal));
                var lateIds = late.Rows.Select(r => r[(r.LastIndexOf(':') + 1)..^1]).ToHashSet();
                var all = Enumerable.Range(0, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(all.Where(i => !lateIds.Contains(i)).Order(StringComparer.Ordinal), released.Rows.Order(StringComparer.Ordinal));
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }, iter: 40);
    }
}
