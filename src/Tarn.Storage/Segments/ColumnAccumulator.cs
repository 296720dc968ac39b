using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Segments;

/// <summary>
/// Collects one column's rows of the row group being built, with typed bulk copies (no per-row virtual calls for
/// flat sources). <see cref="View"/> exposes the rows as a flat vector for the chunk encoder.
/// </summary>
internal abstract class ColumnAccumulator
{
    protected ColumnAccumulator(Column column) => Column = column;

    /// <summary>
    /// Rows the buffers hold before they first grow. They grow by doubling up to the row group size, so a commit of a
    /// few rows does not allocate (and zero) full row-group buffers on the large object heap, which at hundreds of
    /// small commits per second made nearly every garbage collection a gen2 one.
    /// </summary>
    protected const int InitialRows = 1024;

    /// <summary>The capacity to grow to for <paramref name="needed"/> rows: double, at least what is needed, at most the row group.</summary>
    protected static int GrownCapacity(int current, int needed, int limit) => Math.Max(needed, (int)Math.Min(limit, 2L * current));

    public Column Column { get; }
    public int Count { get; protected set; }

    /// <summary>Bytes of variable-length data held (0 for fixed-width columns).</summary>
    public virtual long DataBytes => 0;

    public abstract ColumnVector View();
    public abstract void Append(ColumnVector source, int start, int count);
    public abstract void Append(ColumnVector source, ReadOnlySpan<int> rows);
    public abstract void Reset();

    public static ColumnAccumulator Create(Column column, int capacity) => column.Type.Physical switch
    {
        PhysicalType.Bool => new PrimitiveAccumulator<bool>(column, capacity),
        PhysicalType.Int8 => new PrimitiveAccumulator<sbyte>(column, capacity),
        PhysicalType.Int16 => new PrimitiveAccumulator<short>(column, capacity),
        PhysicalType.Int32 => new PrimitiveAccumulator<int>(column, capacity),
        PhysicalType.Int64 => new PrimitiveAccumulator<long>(column, capacity),
        PhysicalType.Int128 => new PrimitiveAccumulator<Int128>(column, capacity),
        PhysicalType.Float32 => new PrimitiveAccumulator<float>(column, capacity),
        PhysicalType.Float64 => new PrimitiveAccumulator<double>(column, capacity),
        _ => new BinaryAccumulator(column, capacity),
    };

    /// <summary>Rejects NULLs in a NOT NULL column before they reach a file.</summary>
    protected void CheckNulls(ColumnVector source, int start, int count)
    {
        if (Column.Type.Nullable || source.Nulls is null) return;
        if (source.Nulls.AsSpan(start, count).ContainsAnyExcept((byte)0)) ThrowNotNull();
    }

    protected void CheckNulls(ColumnVector source, ReadOnlySpan<int> rows)
    {
        if (Column.Type.Nullable || source.Nulls is null) return;
        foreach (var r in rows) if (source.Nulls[r] != 0) ThrowNotNull();
    }

    private void ThrowNotNull() =>
        throw new TarnException(SqlStates.NotNullViolation, $"NULL value in NOT NULL column '{Column.Name}'");

    protected Exception Mismatch(ColumnVector source) =>
        new TarnException(SqlStates.DatatypeMismatch,
            $"column '{Column.Name}' is {Column.Type} but the batch holds a {source.GetType().Name} of {source.Type}");
}

internal sealed class PrimitiveAccumulator<T> : ColumnAccumulator where T : unmanaged
{
    private readonly int _limit;
    private T[] _values;
    private byte[] _nulls;
    private bool _hasNulls;

    public PrimitiveAccumulator(Column column, int capacity) : base(column)
    {
        _limit = Math.Max(capacity, 1);
        _values = new T[Math.Min(_limit, InitialRows)];
        _nulls = new byte[_values.Length];
    }

    private void EnsureRows(int rows)
    {
        if (rows <= _values.Length) return;
        var capacity = GrownCapacity(_values.Length, rows, _limit);
        Array.Resize(ref _values, capacity);
        Array.Resize(ref _nulls, capacity);
    }

    public override ColumnVector View() => new PrimitiveVector<T>(Column.Type, _values, Count, _hasNulls ? _nulls : null);

    public override void Append(ColumnVector source, int start, int count)
    {
        if (source is not PrimitiveVector<T> p) throw Mismatch(source);
        CheckNulls(source, start, count);
        EnsureRows(Count + count);
        Array.Copy(p.Values, start, _values, Count, count);
        if (p.Nulls is { } n && n.AsSpan(start, count).ContainsAnyExcept((byte)0))
        {
            n.AsSpan(start, count).CopyTo(_nulls.AsSpan(Count));
            _hasNulls = true;
        }
        else if (_hasNulls)
        {
            _nulls.AsSpan(Count, count).Clear();
        }
        Count += count;
    }

    public override void Append(ColumnVector source, ReadOnlySpan<int> rows)
    {
        if (source is not PrimitiveVector<T> p) throw Mismatch(source);
        CheckNulls(source, rows);
        EnsureRows(Count + rows.Length);
        var values = p.Values;
        var dst = _values.AsSpan(Count, rows.Length);
        for (var i = 0; i < rows.Length; i++) dst[i] = values[rows[i]];
        AppendNulls(p.Nulls, rows);
    }

    private void AppendNulls(byte[]? nulls, ReadOnlySpan<int> rows)
    {
        var dst = _nulls.AsSpan(Count, rows.Length);
        if (nulls is null)
        {
            if (_hasNulls) dst.Clear();
        }
        else
        {
            for (var i = 0; i < rows.Length; i++) dst[i] = nulls[rows[i]];
            _hasNulls |= dst.ContainsAnyExcept((byte)0);
        }
        Count += rows.Length;
    }

    public override void Reset()
    {
        Count = 0;
        if (_hasNulls) Array.Clear(_nulls);
        _hasNulls = false;
    }
}

internal sealed class BinaryAccumulator : ColumnAccumulator
{
    private readonly int _limit;
    private int[] _offsets;
    private byte[] _nulls;
    private byte[] _data = new byte[4096];
    private bool _hasNulls;

    public BinaryAccumulator(Column column, int capacity) : base(column)
    {
        _limit = Math.Max(capacity, 1);
        _nulls = new byte[Math.Min(_limit, InitialRows)];
        _offsets = new int[_nulls.Length + 1];
    }

    private void EnsureRows(int rows)
    {
        if (rows <= _nulls.Length) return;
        var capacity = GrownCapacity(_nulls.Length, rows, _limit);
        Array.Resize(ref _nulls, capacity);
        Array.Resize(ref _offsets, capacity + 1);
    }

    public override long DataBytes => _offsets[Count];

    public override ColumnVector View() => new BinaryVector(Column.Type, _offsets, _data, Count, _hasNulls ? _nulls : null);

    public override void Append(ColumnVector source, int start, int count)
    {
        CheckNulls(source, start, count);
        EnsureRows(Count + count);
        switch (source)
        {
            case BinaryVector b:
            {
                var from = b.Offsets[start];
                var bytes = b.Offsets[start + count] - from;
                EnsureData(Count, bytes);
                b.Data.AsSpan(from, bytes).CopyTo(_data.AsSpan(_offsets[Count]));
                var shift = _offsets[Count] - from;
                for (var i = 1; i <= count; i++) _offsets[Count + i] = b.Offsets[start + i] + shift;
                CopyNulls(b.Nulls, start, count);
                break;
            }
            case DictionaryVector d:
                for (var i = 0; i < count; i++) AppendValue(d, start + i, Count + i);
                CopyNulls(d.Nulls, start, count);
                break;
            default:
                throw Mismatch(source);
        }
        Count += count;
    }

    public override void Append(ColumnVector source, ReadOnlySpan<int> rows)
    {
        CheckNulls(source, rows);
        EnsureRows(Count + rows.Length);
        switch (source)
        {
            case BinaryVector b:
                for (var i = 0; i < rows.Length; i++)
                {
                    var v = b.GetBytes(rows[i]);
                    EnsureData(Count + i, v.Length);
                    v.CopyTo(_data.AsSpan(_offsets[Count + i]));
                    _offsets[Count + i + 1] = _offsets[Count + i] + v.Length;
                }
                break;
            case DictionaryVector d:
                for (var i = 0; i < rows.Length; i++) AppendValue(d, rows[i], Count + i);
                break;
            default:
                throw Mismatch(source);
        }
        var dst = _nulls.AsSpan(Count, rows.Length);
        if (source.Nulls is { } n)
        {
            for (var i = 0; i < rows.Length; i++) dst[i] = n[rows[i]];
            _hasNulls |= dst.ContainsAnyExcept((byte)0);
        }
        else if (_hasNulls)
        {
            dst.Clear();
        }
        Count += rows.Length;
    }

    /// <summary>Stores the value of dictionary row <paramref name="row"/> as accumulator row <paramref name="at"/>.</summary>
    private void AppendValue(DictionaryVector d, int row, int at)
    {
        var v = d.IsNull(row) ? default : d.Dictionary.GetBytes(d.Codes[row]);
        EnsureData(at, v.Length);
        v.CopyTo(_data.AsSpan(_offsets[at]));
        _offsets[at + 1] = _offsets[at] + v.Length;
    }

    private void CopyNulls(byte[]? nulls, int start, int count)
    {
        if (nulls is { } n && n.AsSpan(start, count).ContainsAnyExcept((byte)0))
        {
            n.AsSpan(start, count).CopyTo(_nulls.AsSpan(Count));
            _hasNulls = true;
        }
        else if (_hasNulls)
        {
            _nulls.AsSpan(Count, count).Clear();
        }
    }

    /// <summary>Room for <paramref name="extra"/> bytes after the data of the first <paramref name="rows"/> rows.</summary>
    private void EnsureData(int rows, int extra)
    {
        var needed = (long)_offsets[rows] + extra;
        if (needed <= _data.Length) return;
        // Offsets are ints; the builder closes row groups long before this (SegmentFormat.MaxRowGroupBinaryBytes).
        if (needed > Array.MaxLength) throw new TarnException(SqlStates.FeatureNotSupported, $"column '{Column.Name}' holds more than 2 GiB in one row group");
        Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_data.Length * 2)));
    }

    public override void Reset()
    {
        Count = 0;
        _offsets[0] = 0;
        if (_hasNulls) Array.Clear(_nulls);
        _hasNulls = false;
    }
}
