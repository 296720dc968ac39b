using Tarn.Storage.Engine;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>
/// Turns the changes written to a primary-key table (+I/+U upserts, -U/-D retractions, in order) into the full
/// changelog that is stored (storage-spec DB-054, Paimon's <c>changelog-producer = lookup</c>): it looks up the current
/// row of every key the changes touch in the table version the commit builds on, folds the changes of each key into
/// it with the table's merge engine (DB-055..DB-058), and emits per key +I (new key), -U old / +U new (changed key) or
/// -D old (deleted key). Every -U/-D carries the complete previous row, so a streaming reader sees a consistent
/// changelog, and merge-on-read (DB-051) of the result is the merged value.
/// <para>
/// The changes are kept (by reference), so if the commit loses a race the writer can compute the changelog again
/// against the newer version (<see cref="WriteTo"/> may be called repeatedly, each time into a fresh builder).
/// Key ids, the fold and the gather are typed loops over arrays; values move as cell references, not copies.
/// </para>
/// </summary>
public sealed class UpsertWriter
{
    private readonly TableLayout _layout;
    private readonly MergeOptions _options;
    private readonly KeyIds _keys;
    private readonly int[] _keyIndexes;
    private readonly RowRouter _router;
    private readonly bool[] _touchedBuckets;
    private readonly List<ColumnBatch> _batches = [];
    private readonly List<int[]> _ids = [];
    private readonly List<sbyte[]?> _kinds = [];
    private readonly List<RowKind> _batchKind = [];

    public UpsertWriter(TableLayout layout, MergeOptions options)
    {
        if (!layout.HasPrimaryKey) throw new ArgumentException("an upsert writer needs a primary-key table", nameof(layout));
        _layout = layout;
        _options = options;
        _keys = new KeyIds(layout);
        _keyIndexes = layout.PrimaryKeyColumnIndexes;
        _router = new RowRouter(layout);
        _touchedBuckets = new bool[layout.BucketCount];
    }

    /// <summary>The table layout the writer was made for.</summary>
    public TableLayout Layout => _layout;

    /// <summary>Rows given so far.</summary>
    public long InputRows { get; private set; }

    /// <summary>Distinct keys given so far.</summary>
    public int KeyCount => _keys.Count;

    /// <summary>Adds changes of one kind (rows in the table's physical column order).</summary>
    public void Add(ColumnBatch rows, RowKind kind) => Add(rows, kind, null);

    /// <summary>Adds changes with a kind per row (what a streaming sink receives).</summary>
    public void Add(ColumnBatch rows, sbyte[] kinds)
    {
        if (kinds.Length < rows.RowCount) throw new ArgumentException("one kind per row is needed", nameof(kinds));
        Add(rows, RowKind.Insert, kinds);
    }

    private void Add(ColumnBatch rows, RowKind kind, sbyte[]? kinds)
    {
        var n = rows.RowCount;
        if (n == 0) return;
        if (rows.ColumnCount != _layout.Schema.Count) throw new ArgumentException($"expected {_layout.Schema.Count} columns, got {rows.ColumnCount}", nameof(rows));
        for (var c = 0; c < rows.ColumnCount; c++)
            if (rows.Columns[c].Type.Physical != _layout.Schema[c].Type.Physical)
                ThrowHelper.Internal($"column {_layout.Schema[c].Name} has physical type {rows.Columns[c].Type.Physical}, expected {_layout.Schema[c].Type.Physical}");
        var keyColumns = new ColumnVector[_keyIndexes.Length];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            keyColumns[k] = rows.Columns[_keyIndexes[k]];
            if (keyColumns[k].MayHaveNulls)
                for (var r = 0; r < n; r++)
                    if (keyColumns[k].IsNull(r))
                        throw new TarnException(SqlStates.NotNullViolation, $"primary-key column '{_layout.Schema[_keyIndexes[k]].Name}' is NOT NULL but a NULL value was given");
        }
        var ids = new int[n];
        _keys.Assign(keyColumns, ids);
        if (_touchedBuckets.Length == 1) _touchedBuckets[0] = true;
        else
        {
            var buckets = new int[n];
            _router.RouteBuckets(rows, buckets);
            foreach (var b in buckets) _touchedBuckets[b] = true;
        }
        _batches.Add(rows);
        _ids.Add(ids);
        _kinds.Add(kinds);
        _batchKind.Add(kind);
        InputRows += n;
    }

    /// <summary>
    /// Computes the changelog of everything added against <paramref name="table"/> (the version the commit will build
    /// on; <paramref name="readAsGiven"/> when it is a transaction's pending version that the engine's state does not
    /// hold) and adds it to <paramref name="builder"/>. Returns the counts of what was emitted.
    /// </summary>
    public ChangelogCounts WriteTo(StorageEngine engine, TableVersion table, bool readAsGiven, AppendBuilder builder)
    {
        var keyCount = _keys.Count;
        if (keyCount == 0) return default;
        var sources = new List<ColumnBatch>(_batches.Count + 8);
        sources.AddRange(_batches);
        var stored = CurrentRows.Find(engine, table, readAsGiven, _keys, _keyIndexes, _touchedBuckets, sources);
        var fold = new ChangelogFold(_layout, _options, sources, stored);
        for (var b = 0; b < _batches.Count; b++)
        {
            if (_kinds[b] is { } kinds) fold.Apply(b, _ids[b], kinds);
            else fold.Apply(b, _ids[b], _batchKind[b]);
        }
        return fold.Emit(builder);
    }
}

/// <summary>What <see cref="UpsertWriter.WriteTo"/> stored: rows per change kind.</summary>
public readonly record struct ChangelogCounts(long Inserts, long Updates, long Deletes)
{
    public long Rows => Inserts + 2 * Updates + Deletes;
}
