using System.Text;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// Gives every distinct primary-key value a dense id (0, 1, 2, ...) so merging versions of keys works on int arrays.
/// A single integer key column is hashed as a long; other keys by the canonical text of their values (the same text
/// that chooses the bucket, DB-011), so two values are one key exactly when they land in the same bucket by the same bytes.
/// </summary>
internal sealed class KeyIds
{
    private readonly bool _integer;
    private readonly Dictionary<long, int> _longs = [];
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);

    /// <summary>
    /// A single string key column: hashed by its decoded text (its canonical text, DB-011) through a span lookup, so a
    /// key seen before costs no allocation (merges and upserts probe far more keys than they add).
    /// </summary>
    private readonly bool _string;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textSpans;
    private char[] _chars = new char[64];
    private int _nullId = -1;

    public KeyIds(TableLayout layout)
    {
        var pk = layout.PrimaryKeyColumnIndexes;
        _integer = pk.Length == 1 && layout.Schema[pk[0]].Type.Physical is PhysicalType.Int64 or PhysicalType.Int32 or PhysicalType.Int16 or PhysicalType.Int8;
        _string = pk.Length == 1 && layout.Schema[pk[0]].Type.IsString;
        _textSpans = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _integer ? _longs.Count : _texts.Count + (_nullId >= 0 ? 1 : 0);

    /// <summary>Fills <paramref name="ids"/> with the key id of each of the first <c>ids.Length</c> rows of <paramref name="keyColumns"/>.</summary>
    public void Assign(ColumnVector[] keyColumns, Span<int> ids)
    {
        if (_integer)
        {
            if (!TryAssignIntegers(keyColumns[0], ids)) throw new InvalidOperationException($"integer key column read as {keyColumns[0].GetType().Name}");
            return;
        }
        if (_string)
        {
            var column = keyColumns[0];
            for (var r = 0; r < ids.Length; r++)
            {
                if (IsNullKey(column, r))
                {
                    if (_nullId < 0) _nullId = Count;
                    ids[r] = _nullId;
                    continue;
                }
                var text = Text(column, r);
                if (!_textSpans.TryGetValue(text, out var id))
                {
                    id = Count;
                    _textSpans[text] = id;
                }
                ids[r] = id;
            }
            return;
        }
        var sb = new StringBuilder();
        for (var r = 0; r < ids.Length; r++)
        {
            sb.Clear();
            foreach (var col in keyColumns)
            {
                var text = CanonicalText.Format(col, r);
                if (text is null) sb.Append('\u0000');
                else sb.Append(text).Append('\u0001');
            }
            var key = sb.ToString();
            if (!_texts.TryGetValue(key, out var id))
            {
                id = _texts.Count;
                _texts[key] = id;
            }
            ids[r] = id;
        }
    }

    /// <summary>True when keys are single integers (hashed as longs).</summary>
    public bool IsInteger => _integer;

    /// <summary>
    /// For each of <paramref name="rows"/> of <paramref name="keyColumns"/>, the id already assigned to its key, or -1:
    /// a lookup that adds nothing (the keys of stored rows probed against the keys of incoming rows).
    /// </summary>
    public void Find(ColumnVector[] keyColumns, ReadOnlySpan<int> rows, Span<int> ids)
    {
        if (_integer)
        {
            switch (keyColumns[0])
            {
                case PrimitiveVector<long> v: for (var i = 0; i < rows.Length; i++) ids[i] = _longs.TryGetValue(v.Values[rows[i]], out var id) ? id : -1; return;
                case PrimitiveVector<int> v: for (var i = 0; i < rows.Length; i++) ids[i] = _longs.TryGetValue(v.Values[rows[i]], out var id) ? id : -1; return;
                case PrimitiveVector<short> v: for (var i = 0; i < rows.Length; i++) ids[i] = _longs.TryGetValue(v.Values[rows[i]], out var id) ? id : -1; return;
                case PrimitiveVector<sbyte> v: for (var i = 0; i < rows.Length; i++) ids[i] = _longs.TryGetValue(v.Values[rows[i]], out var id) ? id : -1; return;
                default: throw new InvalidOperationException($"integer key column read as {keyColumns[0].GetType().Name}");
            }
        }
        if (_string)
        {
            var column = keyColumns[0];
            for (var i = 0; i < rows.Length; i++)
                ids[i] = IsNullKey(column, rows[i]) ? _nullId : _textSpans.TryGetValue(Text(column, rows[i]), out var id) ? id : -1;
            return;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < rows.Length; i++)
        {
            sb.Clear();
            foreach (var col in keyColumns)
            {
                var text = CanonicalText.Format(col, rows[i]);
                if (text is null) sb.Append('\u0000');
                else sb.Append(text).Append('\u0001');
            }
            ids[i] = _texts.TryGetValue(sb.ToString(), out var id) ? id : -1;
        }
    }

    /// <summary>The smallest and largest integer key assigned an id (single integer keys only; false when none).</summary>
    public bool TryGetIntegerRange(out long min, out long max)
    {
        min = long.MaxValue;
        max = long.MinValue;
        foreach (var k in _longs.Keys)
        {
            if (k < min) min = k;
            if (k > max) max = k;
        }
        return _integer && _longs.Count > 0;
    }

    /// <summary>NULL as <see cref="CanonicalText"/> sees it (also a NULL entry of a dictionary).</summary>
    private static bool IsNullKey(ColumnVector column, int row) =>
        column.IsNull(row) || column is DictionaryVector d && d.Dictionary.IsNull(d.Codes[row]);

    /// <summary>The text of a string key value, decoded into a reused buffer (valid until the next call).</summary>
    private ReadOnlySpan<char> Text(ColumnVector column, int row)
    {
        var bytes = column switch
        {
            BinaryVector b => b.GetBytes(row),
            DictionaryVector d => d.Dictionary.GetBytes(d.Codes[row]),
            _ => throw new InvalidOperationException($"string key column read as {column.GetType().Name}"),
        };
        var max = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < max) _chars = new char[Math.Max(max, _chars.Length * 2)];
        var n = Encoding.UTF8.GetChars(bytes, _chars);
        return _chars.AsSpan(0, n);
    }

    private bool TryAssignIntegers(ColumnVector column, Span<int> ids)
    {
        switch (column)
        {
            case PrimitiveVector<long> v: for (var r = 0; r < ids.Length; r++) ids[r] = IdOf(v.Values[r]); return true;
            case PrimitiveVector<int> v: for (var r = 0; r < ids.Length; r++) ids[r] = IdOf(v.Values[r]); return true;
            case PrimitiveVector<short> v: for (var r = 0; r < ids.Length; r++) ids[r] = IdOf(v.Values[r]); return true;
            case PrimitiveVector<sbyte> v: for (var r = 0; r < ids.Length; r++) ids[r] = IdOf(v.Values[r]); return true;
            default: return false;
        }
    }

    private int IdOf(long key)
    {
        if (!_longs.TryGetValue(key, out var id))
        {
            id = _longs.Count;
            _longs[key] = id;
        }
        return id;
    }
}
