using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// ARRAY_AGG / LIST: each group's values (NULLs included, as NULL elements) as one ARRAY in input order (merged partial
/// states are appended in merge order). A group without rows is NULL. Each group owns a growable buffer of element
/// encodings (<see cref="ArrayValues"/>); the result appends the end marker. A CHAR argument is collected as VARCHAR
/// (the same encoding).
/// </summary>
public sealed class ArrayAggAccumulator(DataType resultType) : Accumulator(resultType)
{
    private readonly ArrayValueWriter _writer = new();
    private readonly GroupByteBuffers _groups = new();

    public override int Capacity => _groups.Capacity;

    public override long BytesPerGroup => 64;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _groups.Capacity) return;
        _groups.Resize(Grow(_groups.Capacity, groups));
    }

    public override void Clear(int groups) => _groups.Clear(groups);

    private void Append(int g, ReadOnlySpan<byte> elements) => _groups.Append(g, [], elements);

    private void AppendRow(int g, ColumnVector input, int row)
    {
        _writer.Reset();
        _writer.AppendFrom(input, row);
        Append(g, _writer.Finish()[..^1]); // the element, without the end marker
    }

    public override void Update(int[] groupIds, ColumnVector? input, int n, int[]? rows, int rowCount)
    {
        if (rows is null)
        {
            for (var i = 0; i < n; i++) AppendRow(groupIds[i], input!, i);
            return;
        }
        for (var k = 0; k < rowCount; k++) AppendRow(groupIds[rows[k]], input!, rows[k]);
    }

    public override void Merge(Accumulator other, int[] groupMap, int otherGroups)
    {
        var o = (ArrayAggAccumulator)other;
        for (var g = 0; g < otherGroups; g++)
            if (groupMap[g] >= 0 && o._groups.Has(g)) Append(groupMap[g], o._groups.Get(g));
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, Math.Max(count, 1));
        var scratch = new byte[64];
        for (var i = 0; i < count; i++)
        {
            if (!_groups.Has(start + i)) { result.AppendNull(); continue; }
            var elements = _groups.Get(start + i);
            var length = elements.Length;
            if (scratch.Length < length + 1) scratch = new byte[Math.Max(length + 1, scratch.Length * 2)];
            elements.CopyTo(scratch);
            scratch[length] = ArrayValues.EndMarker;
            result.Append(scratch.AsSpan(0, length + 1));
        }
        return result;
    }

    public override Accumulator NewEmpty() => new ArrayAggAccumulator(ResultType);
}
