using System.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// LISTAGG / STRING_AGG: each group's non-NULL values joined by the separator, in input order (merged partial lists
/// are appended in merge order). A group without values is NULL. Each group owns one growable byte buffer.
/// </summary>
public sealed class ListAggAccumulator(DataType resultType, string separator) : Accumulator(resultType)
{
    private readonly byte[] _separator = Encoding.UTF8.GetBytes(separator);
    private readonly GroupByteBuffers _groups = new();

    public override int Capacity => _groups.Capacity;

    public override long BytesPerGroup => 64;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _groups.Capacity) return;
        _groups.Resize(Grow(_groups.Capacity, groups));
    }

    public override void Clear(int groups) => _groups.Clear(groups);

    private void Append(int g, ReadOnlySpan<byte> value) => _groups.Append(g, _separator, value);

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        var view = new StringView(input!);
        if (rows is null)
        {
            for (var i = 0; i < n; i++)
                if (!view.IsNull(i)) Append(groupIds[i], view.Get(i));
            return;
        }
        for (var k = 0; k < rowCount; k++)
        {
            var r = rows[k];
            if (!view.IsNull(r)) Append(groupIds[r], view.Get(r));
        }
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (ListAggAccumulator)other;
        for (var g = 0; g < otherGroups; g++)
            if (groupMap[g] >= 0 && o._groups.Has(g)) Append(groupMap[g], o._groups.Get(g));
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, count);
        for (var i = 0; i < count; i++)
        {
            if (_groups.Has(start + i)) result.Append(_groups.Get(start + i));
            else result.AppendNull();
        }
        return result;
    }

    public override Accumulator NewEmpty() => new ListAggAccumulator(ResultType, Encoding.UTF8.GetString(_separator));
}
