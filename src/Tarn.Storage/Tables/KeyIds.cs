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

    public KeyIds(TableLayout layout)
    {
        var pk = layout.PrimaryKeyColumnIndexes;
        _integer = pk.Length == 1 && layout.Schema[pk[0]].Type.Physical is PhysicalType.Int64 or PhysicalType.Int32 or PhysicalType.Int16 or PhysicalType.Int8;
    }

    public int Count => _integer ? _longs.Count : _texts.Count;

    /// <summary>Fills <paramref name="ids"/> with the key id of each of the first <c>ids.Length</c> rows of <paramref name="keyColumns"/>.</summary>
    public void Assign(ColumnVector[] keyColumns, Span<int> ids)
    {
        if (_integer)
        {
            if (!TryAssignIntegers(keyColumns[0], ids)) throw new InvalidOperationException($"integer key column read as {keyColumns[0].GetType().Name}");
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
