using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Scans;

/// <summary>
/// One unit of parallel scan work: one row group of one segment (file or inline image). Reading it yields the
/// requested columns of the rows within the spec's offset bounds. Safe to read from any thread, once.
/// </summary>
public sealed class ScanMorsel
{
    private readonly SegmentReader _reader;
    private readonly int _rowGroup;
    private readonly int[] _fileColumns;
    private readonly DataType[] _types;
    private readonly long _baseOffset;
    private readonly int _bucket;
    private readonly long _start;
    private readonly long _end;
    private readonly bool _needsOffsetFilter;
    private readonly bool _includeOffsetAndBucket;
    private readonly int _kindColumn;
    private readonly bool _includeKind;
    private readonly int[]? _keep;

    internal ScanMorsel(SegmentReader reader, int rowGroup, int[] fileColumns, DataType[] types, long baseOffset, int bucket,
        long start, long end, bool needsOffsetFilter, bool includeOffsetAndBucket, long minOffset, int kindColumn = -1, bool includeKind = false, int[]? keep = null)
    {
        _reader = reader;
        _rowGroup = rowGroup;
        _fileColumns = fileColumns;
        _types = types;
        _baseOffset = baseOffset;
        _bucket = bucket;
        _start = start;
        _end = end;
        _needsOffsetFilter = needsOffsetFilter;
        _includeOffsetAndBucket = includeOffsetAndBucket;
        MinOffset = minOffset;
        _kindColumn = kindColumn;
        _includeKind = includeKind;
        _keep = keep;
    }

    internal SegmentReader Reader => _reader;
    internal int RowGroup => _rowGroup;
    internal long BaseOffset => _baseOffset;
    internal long Start => _start;
    internal long End => _end;

    /// <summary>File column of <c>$kind</c>, or -1 when the file has none (every row is an insert).</summary>
    internal int KindColumn => _kindColumn;

    /// <summary>
    /// This morsel restricted to the given rows of its row group (ascending row numbers, all within the offset bounds):
    /// what the merge of a primary-key table leaves of it.
    /// </summary>
    /// <summary>The rows of the row group this morsel is restricted to (ascending), or null for all rows within the bounds.</summary>
    internal int[]? Keep => _keep;

    /// <summary>
    /// Up to this many selected rows are gathered from the process-wide cache of decoded chunks instead of decoding
    /// the chunk again: what point lookups read.
    /// </summary>
    internal const int CachedReadMaxRows = 16;

    /// <summary>True when the row group's statistics prove that every row satisfies all of <paramref name="predicates"/>.</summary>
    public bool AllRowsMatch(IReadOnlyList<IStatsPredicate> predicates)
    {
        if (predicates.Count == 0) return false;
        var footer = _reader.Footer;
        var info = footer.RowGroups[_rowGroup];
        foreach (var p in predicates)
        {
            var c = footer.Schema.IndexOfId(p.ColumnId);
            if (c < 0 || !p.MustMatch(info.Chunks[c].Stats, info.RowCount)) return false;
        }
        return true;
    }

    /// <summary>A vector of <paramref name="rows"/> unspecified values of output column <paramref name="c"/>'s type, kept in the worker's reuse slot.</summary>
    private ColumnVector Placeholder(ColumnVector?[]? reuse, int c, int rows)
    {
        var v = reuse?[c] is { } r && r.Type == _types[c] && r.Capacity >= rows ? r : ColumnVector.Create(_types[c], rows);
        v.SetNulls(null);
        v.SetCount(rows);
        if (reuse is not null) reuse[c] = v;
        return v;
    }

    internal ScanMorsel WithRows(int[] keep) =>
        new(_reader, _rowGroup, _fileColumns, _types, _baseOffset, _bucket, _start, _end, false, _includeOffsetAndBucket, MinOffset, _kindColumn, _includeKind, keep);

    public int Bucket => _bucket;

    /// <summary>The smallest absolute offset in this morsel (orders morsels of a bucket).</summary>
    public long MinOffset { get; }

    public int RowCount => _keep?.Length ?? _reader.Footer.RowGroups[_rowGroup].RowCount;

    public ColumnBatch Read() => Read(null);

    /// <summary>
    /// Reads the morsel, decoding primitive columns into the arrays of <paramref name="reuse"/> (one slot per output
    /// column, filled with the new vectors on return) when the caller has finished with the previous batch. Dictionary
    /// and string vectors are never reused: consumers may cache work per dictionary instance.
    /// </summary>
    public ColumnBatch Read(ColumnVector?[]? reuse) => Read(reuse, null);

    /// <summary>
    /// As <see cref="Read(ColumnVector?[])"/>, but the output columns flagged in <paramref name="unread"/> are not
    /// decoded: they hold placeholder values of the right type and row count that nothing downstream reads (the
    /// filter column of a row group whose statistics prove the filter true for every row).
    /// </summary>
    public ColumnBatch Read(ColumnVector?[]? reuse, bool[]? unread)
    {
        var rows = _reader.Footer.RowGroups[_rowGroup].RowCount;
        int[]? selection = _keep;
        long[]? absolute = null;
        if (_needsOffsetFilter || _includeOffsetAndBucket)
        {
            var rel = (PrimitiveVector<long>)_reader.ReadColumn(_rowGroup, 0);
            absolute = new long[Math.Max(rows, 1)];
            var count = 0;
            var sel = _needsOffsetFilter ? new int[rows] : null;
            for (var i = 0; i < rows; i++)
            {
                var o = rel.Values[i] + _baseOffset;
                absolute[i] = o;
                if (sel is not null && o >= _start && o < _end) sel[count++] = i;
            }
            if (sel is not null && count < rows) selection = sel[..count];
        }

        var outCount = selection?.Length ?? rows;
        var extra = (_includeOffsetAndBucket ? 2 : 0) + (_includeKind ? 1 : 0);
        var cols = new ColumnVector[_fileColumns.Length + extra];
        for (var c = 0; c < _fileColumns.Length; c++)
        {
            ColumnVector v;
            if (unread is not null && unread[c])
            {
                v = Placeholder(reuse, c, outCount);
            }
            else if (_fileColumns[c] < 0)
            {
                v = ColumnVector.Create(_types[c], outCount);
                for (var i = 0; i < outCount; i++) v.AppendNull();
            }
            else if (selection is not null && selection.Length <= CachedReadMaxRows)
            {
                v = DecodedChunkCache.Gather(_reader, _rowGroup, _fileColumns[c], selection);
            }
            else
            {
                var old = reuse is not null && selection is null && reuse[c] is { } r && r.GetType().IsGenericType ? r : null;
                v = _reader.ReadColumn(_rowGroup, _fileColumns[c], old);
                if (selection is not null) v = v.Gather(selection);
                else if (reuse is not null) reuse[c] = v;
            }
            cols[c] = v;
        }
        if (_includeOffsetAndBucket)
        {
            var at = _fileColumns.Length;
            var offsets = new PrimitiveVector<long>(DataType.BigInt.WithNullable(false), absolute!, rows);
            cols[at] = selection is null ? offsets : offsets.Gather(selection);
            var buckets = new int[Math.Max(outCount, 1)];
            Array.Fill(buckets, _bucket);
            cols[at + 1] = new PrimitiveVector<int>(DataType.Int.WithNullable(false), buckets, outCount);
        }
        if (_includeKind)
        {
            ColumnVector kinds;
            if (_kindColumn < 0) kinds = new PrimitiveVector<sbyte>(DataType.TinyInt.WithNullable(false), new sbyte[Math.Max(outCount, 1)], outCount);
            else if (selection is not null && selection.Length <= CachedReadMaxRows)
            {
                kinds = DecodedChunkCache.Gather(_reader, _rowGroup, _kindColumn, selection);
            }
            else
            {
                kinds = _reader.ReadColumn(_rowGroup, _kindColumn);
                if (selection is not null) kinds = kinds.Gather(selection);
            }
            cols[^1] = kinds;
        }
        return new ColumnBatch(cols, outCount);
    }
}
