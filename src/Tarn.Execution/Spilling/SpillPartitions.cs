using Tarn.Execution.Aggregation;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Spilling;

/// <summary>
/// Rows split into <see cref="Fanout"/> spill files by a hash of their key columns. The partition of a key depends
/// on the <c>level</c>, so a partition that is still too large can be split again one level deeper; it is also
/// independent of the low hash bits the in-memory hash tables use (a partition's keys still spread over a table).
/// Equal keys (as grouping and join equality see them, NULLs alike) land in the same partition on both join sides.
/// </summary>
public sealed class SpillPartitions : IDisposable
{
    public const int Fanout = 16;

    /// <summary>Levels of re-partitioning before an operator gives up with 53200 (16^6 partitions).</summary>
    public const int MaxLevel = 6;

    private readonly string _directory;
    private readonly IReadOnlyList<DataType> _rowTypes;
    private readonly KeyColumn[] _hashers;
    private readonly SpillFile?[] _files = new SpillFile?[Fanout];
    private readonly ulong _seed;
    private uint[] _hashes = [];
    private int[] _partitionOf = [];
    private int[] _sorted = [];
    private readonly int[] _starts = new int[Fanout + 1];

    public SpillPartitions(string directory, IReadOnlyList<DataType> rowTypes, IReadOnlyList<DataType> keyTypes, int level)
    {
        _directory = directory;
        _rowTypes = rowTypes;
        _hashers = [.. keyTypes.Select(KeyColumn.Create)];
        _seed = (ulong)(level + 1) * 0x9E3779B97F4A7C15UL;
        Level = level;
    }

    public int Level { get; }

    public long RowCount
    {
        get
        {
            long rows = 0;
            foreach (var f in _files) rows += f?.RowCount ?? 0;
            return rows;
        }
    }

    /// <summary>
    /// Appends rows of <paramref name="batch"/> (all of them, or the first <paramref name="rowCount"/> of
    /// <paramref name="rows"/>) to their partitions; <paramref name="keys"/> are the batch's evaluated key columns.
    /// </summary>
    public void Write(ColumnBatch batch, ColumnVector[] keys, int[]? rows = null, int rowCount = -1)
    {
        var n = batch.RowCount;
        var count = rows is null ? n : rowCount;
        if (count <= 0) return;
        if (_hashes.Length < n)
        {
            _hashes = new uint[n];
            _partitionOf = new int[n];
            _sorted = new int[n];
        }
        for (var c = 0; c < _hashers.Length; c++) _hashers[c].Hash(keys[c], n, _hashes, first: c == 0);
        if (_hashers.Length == 0) Array.Clear(_hashes, 0, n);
        var starts = _starts;
        Array.Clear(starts);
        for (var k = 0; k < count; k++)
        {
            var r = rows is null ? k : rows[k];
            var p = (int)(Hashing.Mix(_seed ^ _hashes[r]) & (Fanout - 1));
            _partitionOf[k] = p;
            starts[p + 1]++;
        }
        for (var p = 0; p < Fanout; p++) starts[p + 1] += starts[p];
        Span<int> next = stackalloc int[Fanout];
        starts.AsSpan(0, Fanout).CopyTo(next);
        for (var k = 0; k < count; k++) _sorted[next[_partitionOf[k]]++] = rows is null ? k : rows[k];
        for (var p = 0; p < Fanout; p++)
        {
            var length = starts[p + 1] - starts[p];
            if (length == 0) continue;
            var file = _files[p] ??= new SpillFile(_directory, _rowTypes);
            file.Write(length == n ? batch : batch.Gather(_sorted.AsSpan(starts[p], length)));
        }
    }

    /// <summary>Hands partition <paramref name="p"/>'s file to the caller (who disposes it); null when it got no rows.</summary>
    public SpillFile? Take(int p)
    {
        var f = _files[p];
        _files[p] = null;
        return f;
    }

    public void Dispose()
    {
        for (var p = 0; p < Fanout; p++)
        {
            _files[p]?.Dispose();
            _files[p] = null;
        }
    }
}
