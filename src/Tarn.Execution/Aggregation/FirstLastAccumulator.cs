using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// FIRST_VALUE / LAST_VALUE as aggregates (Flink's FirstValueAggFunction / LastValueAggFunction): the first / last
/// non-NULL value of each group in input order. Partial states merge in merge order (first keeps its own value,
/// last takes the other's), so under parallel aggregation "first" is the first of some worker.
/// </summary>
public sealed class FirstLastAccumulator<T>(DataType resultType, bool last) : Accumulator(resultType) where T : unmanaged
{
    private T[] _values = [];
    private bool[] _has = [];

    public override int Capacity => _values.Length;

    public override long BytesPerGroup => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 1;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _values.Length) return;
        var size = Grow(_values.Length, groups);
        Array.Resize(ref _values, size);
        Array.Resize(ref _has, size);
    }

    public override void Clear(int groups) => Array.Clear(_has, 0, Math.Min(groups, _has.Length));

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var values = ((PrimitiveVector<T>)input!).Values;
        var nulls = input.Nulls;
        var has = _has;
        if (rows is null)
        {
            for (var i = 0; i < n; i++)
            {
                if (nulls is not null && nulls[i] != 0) continue;
                var g = groupIds[i];
                if (last || !has[g]) { _values[g] = values[i]; has[g] = true; }
            }
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (nulls is not null && nulls[r] != 0) continue;
            var g = groupIds[r];
            if (last || !has[g]) { _values[g] = values[r]; has[g] = true; }
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (FirstLastAccumulator<T>)other;
        for (var g = 0; g < otherGroups; g++)
        {
            var t = groupMap[g];
            if (t < 0 || !o._has[g] || (!last && _has[t])) continue;
            _values[t] = o._values[g];
            _has[t] = true;
        }
    }

    public override ColumnVector Results(int start, int count) => PrimitiveResults(_values, _has, start, count);

    public override Accumulator NewEmpty() => new FirstLastAccumulator<T>(ResultType, last);
}

/// <summary>FIRST_VALUE / LAST_VALUE over strings and bytes (see <see cref="FirstLastAccumulator{T}"/>).</summary>
public sealed class StringFirstLastAccumulator(DataType resultType, bool last) : Accumulator(resultType)
{
    private byte[]?[] _values = [];

    public override int Capacity => _values.Length;

    public override long BytesPerGroup => 48;

    public override void EnsureGroups(int groups)
    {
        if (groups > _values.Length) Array.Resize(ref _values, Grow(_values.Length, groups));
    }

    public override void Clear(int groups) => Array.Clear(_values, 0, Math.Min(groups, _values.Length));

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var view = new StringView(input!);
        var count = rows is null ? n : rowCount;
        for (var k = 0; k < count; k++)
        {
            var r = rows is null ? k : rows[k];
            if (view.IsNull(r)) continue;
            var g = groupIds[r];
            if (last || _values[g] is null) _values[g] = view.Get(r).ToArray();
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (StringFirstLastAccumulator)other;
        for (var g = 0; g < otherGroups; g++)
        {
            var t = groupMap[g];
            if (t < 0 || o._values[g] is null || (!last && _values[t] is not null)) continue;
            _values[t] = o._values[g];
        }
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, count);
        for (var i = 0; i < count; i++)
        {
            if (_values[start + i] is { } v) result.Append(v);
            else result.AppendNull();
        }
        return result;
    }

    public override Accumulator NewEmpty() => new StringFirstLastAccumulator(ResultType, last);
}
