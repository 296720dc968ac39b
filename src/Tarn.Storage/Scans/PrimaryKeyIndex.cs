using System.Runtime.CompilerServices;
using Tarn.Storage.Engine;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Scans;

/// <summary>
/// Where the live row of each key of one bucket of one table version is: key → (row group, row). Built lazily, on
/// the first point lookup into the bucket, from the same merge-on-read a scan does (DB-051: the newest row of a key
/// wins, and a key whose newest row is -U/-D is absent), so a lookup sees exactly the row a full scan would. A table
/// version never changes, so the index never goes stale; a commit makes a new version whose buckets are indexed
/// again on demand, and the index dies with its version.
/// <para>
/// This is the first step of the primary-key index: it lives in memory per version (not in Tarn.State, which the
/// write path does not maintain yet), so the first lookup of a bucket after a commit pays one merge of that bucket.
/// Only tables with a one-column integer or VARCHAR key and no partitions are indexed.
/// </para>
/// </summary>
internal sealed class PrimaryKeyIndex
{
    private static readonly ConditionalWeakTable<TableVersion, PrimaryKeyIndex?[]> PerVersion = new();

    private readonly List<ScanMorsel> _morsels;
    private readonly Dictionary<long, long>? _integers;
    private readonly Dictionary<string, long>? _strings;

    private PrimaryKeyIndex(List<ScanMorsel> morsels, Dictionary<long, long>? integers, Dictionary<string, long>? strings)
    {
        _morsels = morsels;
        _integers = integers;
        _strings = strings;
    }

    /// <summary>Row groups of the bucket that hold live rows.</summary>
    public int RowGroupCount => _morsels.Count;

    public static bool Supports(TableLayout layout)
    {
        if (layout.PrimaryKeyColumnIds.Count != 1 || layout.IsPartitioned) return false;
        var type = KeyType(layout);
        return type.IsIntegral || type.Kind == TypeKind.Varchar;
    }

    private static DataType KeyType(TableLayout layout) => layout.Schema[layout.Schema.IndexOfId(layout.PrimaryKeyColumnIds[0])].Type;

    /// <summary>Buckets with more live rows than this are not indexed (the index would cost too much memory); lookups scan them.</summary>
    public const int MaxIndexedRows = 4_000_000;

    /// <summary>An index with no keys that stands for "too large to index" in the per-version slots.</summary>
    private static readonly PrimaryKeyIndex TooLarge = new([], null, null);

    /// <summary>
    /// The index of <paramref name="bucket"/> of <paramref name="table"/>, which <paramref name="lease"/> must hold;
    /// null when the bucket has more than <see cref="MaxIndexedRows"/> live rows.
    /// </summary>
    public static PrimaryKeyIndex? For(StorageEngine engine, ReadLease lease, TableVersion table, int bucket)
    {
        var slots = PerVersion.GetValue(table, t => new PrimaryKeyIndex?[t.Layout.BucketCount]);
        var index = Volatile.Read(ref slots[bucket]);
        if (index is null)
        {
            index = Build(engine, lease, table, bucket);
            index = Interlocked.CompareExchange(ref slots[bucket], index, null) ?? index;
        }
        return ReferenceEquals(index, TooLarge) ? null : index;
    }

    private static PrimaryKeyIndex Build(StorageEngine engine, ReadLease lease, TableVersion table, int bucket)
    {
        var layout = table.Layout;
        var keyId = layout.PrimaryKeyColumnIds[0];
        var spec = new ScanSpec { Table = table, ColumnIds = [keyId], Bucket = bucket };
        var (morsels, _, _) = TableScan.PlanMergedMorsels(engine, lease, spec);
        long live = 0;
        foreach (var m in morsels) live += m.RowCount;
        if (live > MaxIndexedRows) return TooLarge;
        var integral = KeyType(layout).IsIntegral;
        Dictionary<long, long>? integers = integral ? [] : null;
        Dictionary<string, long>? strings = integral ? null : new(StringComparer.Ordinal);
        for (var m = 0; m < morsels.Count; m++)
        {
            var morsel = morsels[m];
            var keep = morsel.Keep ?? throw new InvalidOperationException("a merged morsel lists its surviving rows");
            var reader = morsel.Reader;
            var keys = reader.ReadColumn(morsel.RowGroup, reader.Footer.Schema.IndexOfId(keyId));
            foreach (var row in keep)
            {
                var location = ((long)m << 32) | (uint)row;
                if (keys.IsNull(row)) continue; // key columns are NOT NULL; nothing can look a NULL up anyway
                if (integers is not null) integers[IntegerAt(keys, row)] = location;
                else strings![(string)keys.GetValue(row)!] = location;
            }
        }
        return new PrimaryKeyIndex(morsels, integers, strings);
    }

    private static long IntegerAt(ColumnVector v, int row) => v switch
    {
        PrimitiveVector<long> l => l.Values[row],
        PrimitiveVector<int> i => i.Values[row],
        PrimitiveVector<short> s => s.Values[row],
        PrimitiveVector<sbyte> b => b.Values[row],
        _ => Convert.ToInt64(v.GetValue(row), System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The morsel (row group) and row holding the live row of <paramref name="key"/> (a long for integer keys, a
    /// string for VARCHAR keys), or false when the key has no live row.
    /// </summary>
    public bool TryFind(object key, out ScanMorsel morsel, out int row)
    {
        long location;
        var found = key switch
        {
            long l when _integers is not null => _integers.TryGetValue(l, out location),
            string s when _strings is not null => _strings.TryGetValue(s, out location),
            _ => (location = 0) != 0,
        };
        morsel = found ? _morsels[(int)(location >> 32)] : null!;
        row = (int)(uint)location;
        return found;
    }
}
