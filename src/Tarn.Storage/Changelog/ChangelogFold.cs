using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>
/// Folds the incoming changes of each key, in order, into the key's stored row with the table's merge engine, then
/// emits the difference as changelog rows (storage-spec DB-054..DB-058). Deduplicate and first-row keep one cell per
/// key (the whole row comes from one source); partial-update and aggregation keep one cell per key and column.
/// </summary>
internal sealed class ChangelogFold
{
    private readonly TableLayout _layout;
    private readonly MergeOptions _options;
    private readonly List<ColumnBatch> _sources;
    private readonly long[] _stored;
    private readonly bool[] _live;
    private readonly bool[] _changed;
    private readonly long[]? _row;       // deduplicate, first-row: the key's current row
    private readonly long[][]? _cells;   // partial-update, aggregation: per column, the key's current cell
    private readonly ColumnCells[] _columns;
    private readonly FieldMerger?[]? _mergers;
    private readonly int _sequence;
    private readonly bool[] _isKey;

    public ChangelogFold(TableLayout layout, MergeOptions options, List<ColumnBatch> sources, long[] stored)
    {
        _layout = layout;
        _options = options;
        _sources = sources;
        _stored = stored;
        var keys = stored.Length;
        _live = new bool[keys];
        _changed = new bool[keys];
        for (var k = 0; k < keys; k++) _live[k] = stored[k] >= 0;
        var n = layout.Schema.Count;
        _columns = new ColumnCells[n];
        for (var c = 0; c < n; c++) _columns[c] = new ColumnCells(sources, c, layout.Schema[c].Type);
        _sequence = options.SequenceColumn;
        _isKey = new bool[n];
        foreach (var k in layout.PrimaryKeyColumnIndexes) _isKey[k] = true;
        if (options.Engine is MergeEngine.Deduplicate or MergeEngine.FirstRow)
        {
            _row = (long[])stored.Clone();
        }
        else
        {
            _cells = new long[n][];
            for (var c = 0; c < n; c++) _cells[c] = (long[])stored.Clone();
            if (options.Engine == MergeEngine.Aggregation)
            {
                _mergers = new FieldMerger?[n];
                for (var c = 0; c < n; c++)
                    if (!_isKey[c]) _mergers[c] = FieldMerger.Create(options.Aggregates[c], _columns[c], layout.Schema[c], options.Delimiters[c]);
            }
        }
    }

    /// <summary>Applies the rows of source <paramref name="source"/>, all of kind <paramref name="kind"/>.</summary>
    public void Apply(int source, int[] ids, RowKind kind)
    {
        var retract = !RowKinds.IsLive(kind);
        if (_options.Engine == MergeEngine.Deduplicate && _sequence < 0 && !_options.IgnoreDelete)
        {
            // The common case, kept to one typed loop: the newest change of a key wins.
            var row = _row!;
            var live = _live;
            var changed = _changed;
            var sourceBase = Cells.Ref(source, 0);
            for (var r = 0; r < ids.Length; r++)
            {
                var id = ids[r];
                if (retract)
                {
                    if (!live[id]) continue;
                    live[id] = false;
                }
                else
                {
                    row[id] = sourceBase | (uint)r;
                    live[id] = true;
                }
                changed[id] = true;
            }
            return;
        }
        for (var r = 0; r < ids.Length; r++) ApplyOne(source, r, ids[r], retract, kind);
    }

    /// <summary>Applies the rows of source <paramref name="source"/> with a kind per row.</summary>
    public void Apply(int source, int[] ids, sbyte[] kinds)
    {
        for (var r = 0; r < ids.Length; r++) ApplyOne(source, r, ids[r], !RowKinds.IsLive(kinds[r]), (RowKind)kinds[r]);
    }

    private void ApplyOne(int source, int r, int id, bool retract, RowKind kind)
    {
        var input = Cells.Ref(source, r);
        if (retract)
        {
            if (_options.IgnoreDelete || !_live[id]) return;
            if (_sequence >= 0 && Older(input, id)) return;
            switch (_options.Engine)
            {
                case MergeEngine.Deduplicate:
                    _live[id] = false;
                    break;
                case MergeEngine.FirstRow:
                    throw new TarnException(SqlStates.FeatureNotSupported,
                        $"a first-row table cannot apply a {kind.ToShortString()} change; set 'ignore-delete' = 'true' to ignore retractions");
                case MergeEngine.PartialUpdate:
                    if (kind == RowKind.Delete && _options.RemoveRecordOnDelete) _live[id] = false;
                    else if (_options.RemoveRecordOnDelete) return; // -U is followed by its +U, which updates the fields
                    else
                        throw new TarnException(SqlStates.FeatureNotSupported,
                            $"a partial-update table cannot apply a {kind.ToShortString()} change; set 'partial-update.ignore-delete' or 'partial-update.remove-record-on-delete' = 'true'");
                    break;
                default:
                    if (kind == RowKind.Delete && _options.RemoveRecordOnDelete)
                    {
                        _live[id] = false;
                        break;
                    }
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        if (_mergers![c] is not { } merger || _options.IgnoreRetract[c] || c == _sequence) continue;
                        _cells![c][id] = merger.Retract(_cells[c][id], input);
                    }
                    break;
            }
            _changed[id] = true;
            return;
        }

        if (_live[id])
        {
            if (_options.Engine == MergeEngine.FirstRow) return;
            if (_sequence >= 0 && Older(input, id)) return;
            switch (_options.Engine)
            {
                case MergeEngine.Deduplicate:
                    _row![id] = input;
                    break;
                case MergeEngine.PartialUpdate:
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        if (_isKey[c]) continue;
                        var v = _sources[source].Columns[c];
                        if (!v.IsNull(r)) _cells![c][id] = input;
                    }
                    break;
                default:
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        if (_mergers![c] is { } merger) _cells![c][id] = c == _sequence ? input : merger.Add(_cells[c][id], input);
                    }
                    break;
            }
        }
        else
        {
            if (_row is not null) _row[id] = input;
            else
            {
                for (var c = 0; c < _columns.Length; c++)
                    _cells![c][id] = _mergers?[c] is { } merger && c != _sequence ? merger.Init(input) : input;
            }
            _live[id] = true;
        }
        _changed[id] = true;
    }

    /// <summary>True when <paramref name="input"/>'s sequence value is smaller than the key's current one (it arrived late).</summary>
    private bool Older(long input, int id)
    {
        var current = _row is not null ? _row[id] : _cells![_sequence][id];
        if (current < 0) return false;
        var cells = _columns[_sequence];
        return Cells.Integer(cells.Vector(input), Cells.Row(input)) < Cells.Integer(cells.Vector(current), Cells.Row(current));
    }

    private long CurrentCell(int column, int id) => _row is not null ? _row[id] : _cells![column][id];

    /// <summary>True when the key's merged row equals its stored row, column by column.</summary>
    private bool Unchanged(int id)
    {
        var stored = _stored[id];
        for (var c = 0; c < _columns.Length; c++)
        {
            var cells = _columns[c];
            var now = CurrentCell(c, id);
            if (now == stored) continue;
            var nullA = cells.IsNull(stored);
            var nullB = cells.IsNull(now);
            if (nullA != nullB) return false;
            if (nullA) continue;
            if (Cells.Compare(cells.Vector(stored), Cells.Row(stored), cells.Vector(now), Cells.Row(now)) != 0) return false;
        }
        return true;
    }

    /// <summary>Adds the changelog (each key's rows adjacent, in the order keys first appeared) to <paramref name="builder"/>.</summary>
    public ChangelogCounts Emit(AppendBuilder builder)
    {
        var keys = _stored.Length;
        // Output rows: key id, and whether the row is the stored (old) or the merged (new) value.
        var outIds = new List<int>(keys * 2);
        var outOld = new List<bool>(keys * 2);
        var outKinds = new List<sbyte>(keys * 2);
        long inserts = 0, updates = 0, deletes = 0;
        for (var id = 0; id < keys; id++)
        {
            if (!_changed[id]) continue;
            var had = _stored[id] >= 0;
            var has = _live[id];
            if (!had && !has) continue;
            if (!had)
            {
                outIds.Add(id); outOld.Add(false); outKinds.Add((sbyte)RowKind.Insert);
                inserts++;
            }
            else if (!has)
            {
                outIds.Add(id); outOld.Add(true); outKinds.Add((sbyte)RowKind.Delete);
                deletes++;
            }
            else
            {
                if (_options.RowDeduplicate && Unchanged(id)) continue;
                outIds.Add(id); outOld.Add(true); outKinds.Add((sbyte)RowKind.UpdateBefore);
                outIds.Add(id); outOld.Add(false); outKinds.Add((sbyte)RowKind.UpdateAfter);
                updates++;
            }
        }
        var count = outIds.Count;
        if (count == 0) return default;
        var cells = new long[count];
        var columns = new ColumnVector[_columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            for (var i = 0; i < count; i++)
            {
                var id = outIds[i];
                cells[i] = outOld[i] ? _stored[id] : CurrentCell(c, id);
            }
            var column = _columns[c];
            columns[c] = Cells.Gather(_layout.Schema[c].Type, cells, column.Vector);
        }
        builder.Add(new ColumnBatch(columns, count), outKinds.ToArray());
        return new ChangelogCounts(inserts, updates, deletes);
    }
}
