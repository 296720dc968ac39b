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

    private void Append(int g, ReadOnlySpan<byte> value)
    {
        var buffer = _buffers[g];
        var length = _lengths[g];
        var needed = length + (buffer is null ? 0 : _separator.Length) + value.Length;
        if (buffer is null || needed > buffer.Length)
        {
            var grown = new byte[Math.Max(needed, Math.Max(16, (buffer?.Length ?? 0) * 2))];
            if (buffer is not null) buffer.AsSpan(0, length).CopyTo(grown);
            else
            {
                _buffers[g] = grown;
                value.CopyTo(grown);
                _lengths[g] = value.Length;
                return;
            }
            _buffers[g] = buffer = grown;
        }
        _separator.CopyTo(buffer.AsSpan(length));
        value.CopyTo(buffer.AsSpan(length + _separator.Length));
        _lengths[g] = needed;
    }

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
            if (o._buffers[g] is { } b && groupMap[g] >= 0) Append(groupMap[g], b.AsSpan(0, o._lengths[g]));
    }

    public override ColumnVector Results(int start, int count)
    {
        var result = new BinaryVector(ResultType, count);
        for (var i = 0; i < count; i++)
        {
            if (_buffers[start + i] is { } b) result.Append(b.AsSpan(0, _lengths[start + i]));
            else result.AppendNull();
        }
        return result;
    }

    public override Accumulator NewEmpty() => new ListAggAccumulator(ResultType, Encoding.UTF8.GetString(_separator));
}
