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
    private byte[]?[] _buffers = [];
    private int[] _lengths = [];

    public override int Capacity => _buffers.Length;

    public override long BytesPerGroup => 64;

    public override void EnsureGroups(int groups)
    {
        if (groups <= _buffers.Length) return;
        var size = Grow(_buffers.Length, groups);
        Array.Resize(ref _buffers, size);
        Array.Resize(ref _lengths, size);
    }

    public override void Clear(int groups)
    {
        Array.Clear(_buffers, 0, Math.Min(groups, _buffers.Length));
        Array.Clear(_lengths, 0, Math.Min(groups, _lengths.Length));
    }

    private void Append(int g, ReadOnlySpan<byte> elements)
    {
        var buffer = _buffers[g];
        var length = _lengths[g];
        var needed = length + elements.Length;
        if (buffer is null || needed > buffer.Length)
        {
            var grown = new byte[Math.Max(needed, Math.Max(16, (buffer?.Length ?? 0) * 2))];
            buffer?.AsSpan(0, length).CopyTo(grown);
            _buffers[g] = buffer = grown;
        }
        elements.CopyTo(buffer.AsSpan(length));
        _lengths[g] = needed;
    }

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
            if (o._buffers[g] is { } b && groupMap[g] >= 0) Append(groupMap[g], b.AsSpan(0, o._lengths[g]));
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, Math.Max(count, 1));
        var scratch = new byte[64];
        for (var i = 0; i < count; i++)
        {
            if (_buffers[start + i] is not { } b) { result.AppendNull(); continue; }
            var length = _lengths[start + i];
            if (scratch.Length < length + 1) scratch = new byte[Math.Max(length + 1, scratch.Length * 2)];
            b.AsSpan(0, length).CopyTo(scratch);
            scratch[length] = ArrayValues.EndMarker;
            result.Append(scratch.AsSpan(0, length + 1));
        }
        return result;
    }

    public override Accumulator NewEmpty() => new ArrayAggAccumulator(ResultType);
}
