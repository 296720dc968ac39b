using System.Runtime.CompilerServices;
using Tarn.Execution.Aggregation;
using Tarn.Execution.Lowering;
using Tarn.Execution.Vectors;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Recursion;

/// <summary>
/// WITH RECURSIVE (the lowering of <see cref="LogicalRecursiveCte"/>): streams the anchor's rows, then runs the
/// recursive term again and again over the rows the previous round added (its work table) until a round adds
/// none. Rows stream out as each round produces them, so a LIMIT above stops an unbounded recursion. UNION keeps
/// a table of every row produced so far and drops repeats (which also ends cycles); UNION ALL keeps only the
/// current and the previous round in memory.
/// </summary>
public sealed class RecursiveCteOperator : IBatchOperator
{
    /// <summary>Rounds after which a recursion that still adds rows is taken for a runaway one (54000).</summary>
    public const int MaxRounds = 100_000;

    private readonly LogicalRecursiveCte _node;
    private readonly Func<BatchPlanner> _planners;
    private readonly ExecutionContext _context;
    private readonly IGroupTable? _seen;
    private readonly MemoryReservation _memory;
    private IBatchOperator? _current;
    private BatchPlanner? _planner;
    private List<ColumnBatch> _added = [];
    private long _addedBytes;
    private int[] _ids = [];
    private int _round;

    public RecursiveCteOperator(IBatchOperator anchor, LogicalRecursiveCte node, Func<BatchPlanner> planners, ExecutionContext context)
    {
        _current = anchor;
        _node = node;
        _planners = planners;
        _context = context;
        OutputTypes = node.Columns.Select(c => c.Type).ToList();
        if (!node.UnionAll) _seen = GroupTables.Create(OutputTypes);
        _memory = new MemoryReservation(context.Memory, "WITH RECURSIVE");
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (_current is not null)
        {
            _context.ThrowIfCanceled();
            if (_current.Next() is { } batch)
            {
                if (_seen is not null)
                {
                    if (NewRows(batch) is not { } fresh) continue;
                    batch = fresh;
                }
                _added.Add(batch);
                foreach (var c in batch.Columns) _addedBytes += VectorAppend.EstimateBytes(c);
                _memory.SetSize(_addedBytes + (_seen?.MemoryBytes ?? 0));
                return batch;
            }
            EndRound();
            if (_added.Count == 0) break;
            if (++_round > MaxRounds)
                throw new TarnException(SqlStates.ProgramLimitExceeded, $"WITH RECURSIVE query still adds rows after {MaxRounds:N0} rounds; it probably never ends");
            WorkTables.Set(_context, _node.WorkTableId, _added);
            _added = [];
            _addedBytes = 0;
            _planner = _planners();
            _current = _planner.Lower(_node.Recursive);
        }
        return null;
    }

    /// <summary>The rows of <paramref name="batch"/> not produced before (nor earlier in the batch); null when none.</summary>
    private ColumnBatch? NewRows(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if (_ids.Length < n) _ids = new int[n];
        var before = _seen!.Count;
        _seen.FindOrInsert(batch.Columns, n, _ids);
        var added = _seen.Count - before;
        if (added == 0) return null;
        if (added == n) return batch;
        return batch.Gather(Operators.FirstOccurrences.Rows(_ids, n, before, added));
    }

    private void EndRound()
    {
        _current?.Dispose();
        _current = null;
        _planner?.Dispose();
        _planner = null;
    }

    public void Dispose()
    {
        EndRound();
        WorkTables.Remove(_context, _node.WorkTableId);
        _memory.Dispose();
    }
}

/// <summary>The rows each running recursive CTE's previous round added, per query (its execution context).</summary>
internal static class WorkTables
{
    private static readonly ConditionalWeakTable<ExecutionContext, Dictionary<int, IReadOnlyList<ColumnBatch>>> ByQuery = new();

    public static void Set(ExecutionContext context, int id, IReadOnlyList<ColumnBatch> rows)
    {
        var tables = ByQuery.GetOrCreateValue(context);
        lock (tables) tables[id] = rows;
    }

    public static void Remove(ExecutionContext context, int id)
    {
        if (!ByQuery.TryGetValue(context, out var tables)) return;
        lock (tables) tables.Remove(id);
    }

    /// <summary>The work table as an operator: the previous round's rows (read when the recursive term is lowered).</summary>
    public static IBatchOperator Scan(ExecutionContext context, LogicalWorkTableScan scan)
    {
        IReadOnlyList<ColumnBatch>? rows = null;
        if (ByQuery.TryGetValue(context, out var tables))
            lock (tables) tables.TryGetValue(scan.WorkTableId, out rows);
        if (rows is null)
            throw new TarnException(SqlStates.InternalError, $"work table #{scan.WorkTableId} read outside its recursive query");
        return new Operators.InMemoryOperator(scan.Columns.Select(c => c.Type).ToList(), rows);
    }
}
