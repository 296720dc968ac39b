using System.Numerics;
using Tarn.Execution.Streaming.State;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>
/// SUM and AVG with retraction: a running sum and a count of non-NULL values per group. Results use the batch
/// accumulator's arithmetic (Aggregation/SumAccumulator.cs), so a streaming job's final value equals the batch one.
/// </summary>
public sealed class SumStreamAccumulator<TIn, TSum>(DataType resultType, bool average, int inputScale) : StreamAccumulator(resultType)
    where TIn : unmanaged, INumberBase<TIn>
    where TSum : unmanaged, INumber<TSum>
{
    private TSum[] _sums = [];
    private long[] _counts = [];

    public override void Prepare(int slots)
    {
        if (_sums.Length < slots)
        {
            _sums = new TSum[Math.Max(slots, 16)];
            _counts = new long[_sums.Length];
            return;
        }
        Array.Clear(_sums, 0, slots);
        Array.Clear(_counts, 0, slots);
    }

    public override void Load(int slot, ref ByteReader r)
    {
        _sums[slot] = ValueCodec.ReadRaw<TSum>(ref r);
        _counts[slot] = r.ReadInt64();
    }

    public override void Save(int slot, ByteWriter w)
    {
        ValueCodec.WriteRaw(w, _sums[slot]);
        w.WriteInt64(_counts[slot]);
    }

    public override void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs)
    {
        var v = (PrimitiveVector<TIn>)PhysicalValues.Flatten(argument!);
        var values = v.Values;
        var sums = _sums;
        var counts = _counts;
        var nullable = v.MayHaveNulls;
        foreach (var row in rows)
        {
            if (nullable && v.IsNull(row)) continue;
            var slot = slotOfRow[row];
            var x = TSum.CreateTruncating(values[row]);
            if (signs[row] > 0)
            {
                sums[slot] += x;
                counts[slot]++;
            }
            else
            {
                sums[slot] -= x;
                counts[slot]--;
            }
        }
    }

    public override ColumnVector Results(ReadOnlySpan<int> slots)
    {
        var count = slots.Length;
        var n = Math.Max(count, 1);
        byte[]? nulls = null;
        for (var i = 0; i < count; i++)
            if (_counts[slots[i]] == 0) (nulls ??= new byte[n])[i] = 1;
        var t = ResultType;
        switch (t.Physical)
        {
            case PhysicalType.Float64:
                var d = new double[n];
                for (var i = 0; i < count; i++)
                {
                    var c = _counts[slots[i]];
                    if (c == 0) continue;
                    var sum = double.CreateTruncating(_sums[slots[i]]);
                    if (average && typeof(TSum) == typeof(Int128)) sum = DecimalMath.ToDouble(Int128.CreateTruncating(_sums[slots[i]]), inputScale);
                    d[i] = average ? sum / c : sum;
                }
                return new PrimitiveVector<double>(t, d, count, nulls);
            case PhysicalType.Int128:
                var w = new Int128[n];
                for (var i = 0; i < count; i++)
                {
                    var c = _counts[slots[i]];
                    if (c == 0) continue;
                    var sum = Int128.CreateTruncating(_sums[slots[i]]);
                    var value = average ? DecimalMath.DivideRoundHalfUp(DecimalMath.Rescale(sum, inputScale, t.Scale), c) : sum;
                    if (!DecimalMath.Fits(value, t.Precision)) throw Overflow();
                    w[i] = value;
                }
                return new PrimitiveVector<Int128>(t, w, count, nulls);
            case PhysicalType.Int32:
                var x = new int[n];
                for (var i = 0; i < count; i++) if (_counts[slots[i]] != 0) x[i] = int.CreateChecked(_sums[slots[i]]);
                return new PrimitiveVector<int>(t, x, count, nulls);
            default:
                var l = new long[n];
                for (var i = 0; i < count; i++) if (_counts[slots[i]] != 0) l[i] = long.CreateChecked(_sums[slots[i]]);
                return new PrimitiveVector<long>(t, l, count, nulls);
        }
    }

    private TarnException Overflow() => new(SqlStates.NumericValueOutOfRange,
        $"{(average ? "AVG" : "SUM")} out of range for type {ResultType.WithNullable(true).ToSql()}");
}
