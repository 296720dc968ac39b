using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>
/// A dimension plan with projections and filters above its table (computed columns, a condition the optimizer moved
/// into the dimension's side): a connector answers lookups on the table's columns (<see cref="Split"/> finds them),
/// and the rows it returns go through the projections and filters here, so connectors only ever look up stored columns.
/// </summary>
public sealed class ProjectedLookupSource : ILookupSource
{
    private readonly ILookupSource _inner;
    private readonly List<(VectorExpression[]? Project, VectorExpression? Filter)> _stages = [];

    /// <param name="chain">The projections and filters from the top of the dimension plan down to the table (see <see cref="Split"/>).</param>
    /// <param name="keyColumns">The key positions in the top node's output.</param>
    public ProjectedLookupSource(ILookupSource inner, IReadOnlyList<LogicalPlan> chain, IReadOnlyList<int> keyColumns, ExecutionContext context)
    {
        _inner = inner;
        var compiler = new ExpressionCompiler(context);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            _stages.Add(chain[i] switch
            {
                LogicalProject p => ([.. p.Expressions.Select(compiler.Compile)], null),
                LogicalFilter f => (null, compiler.CompileAs(f.Predicate, DataType.Boolean)),
                _ => throw new TarnException(SqlStates.InternalError, $"a lookup dimension plan cannot run {chain[i].GetType().Name}"),
            });
        }
        RowTypes = chain.Count > 0 ? [.. chain[0].Output.Select(c => c.Type)] : inner.RowTypes;
        KeyColumns = keyColumns;
    }

    /// <summary>
    /// Splits <paramref name="dim"/> into its projections and filters (top first) and the node below them, mapping the
    /// key columns down through the projections; null when a key is computed rather than a stored column.
    /// </summary>
    public static (List<LogicalPlan> Chain, LogicalPlan Table, int[] TableKeys)? Split(LogicalPlan dim, IReadOnlyList<int> keyColumns)
    {
        var chain = new List<LogicalPlan>();
        var keys = keyColumns.ToArray();
        var node = dim;
        while (node is LogicalProject or LogicalFilter or LogicalWatermarkAssigner)
        {
            // A dimension's WATERMARK means nothing to a processing-time lookup: its rows pass unchanged.
            if (node is LogicalWatermarkAssigner w)
            {
                node = w.Input;
                continue;
            }
            if (node is LogicalProject p)
                for (var k = 0; k < keys.Length; k++)
                {
                    if (p.Expressions[keys[k]] is not BoundColumnRef c) return null;
                    keys[k] = c.Index;
                }
            chain.Add(node);
            node = node.Inputs[0];
        }
        return (chain, node, keys);
    }

    public IReadOnlyList<DataType> RowTypes { get; }

    public IReadOnlyList<int> KeyColumns { get; }

    public void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results)
    {
        // The key values are the stored columns' values, so the inner source takes the same keys and encodings.
        var found = new LookupRow[encodedKeys.Count][];
        _inner.Lookup(keys, encodedKeys, found);
        var slots = new List<int>();
        var rows = new List<LookupRow>();
        for (var i = 0; i < found.Length; i++)
        {
            results[i] = [];
            foreach (var row in found[i] ?? [])
            {
                slots.Add(i);
                rows.Add(row);
            }
        }
        if (rows.Count == 0) return;
        var batch = Gather(rows, _inner.RowTypes);
        var slotOf = slots.ToArray();
        (batch, slotOf) = Apply(batch, slotOf);
        var grouped = new List<LookupRow>?[results.Length];
        for (var r = 0; r < batch.RowCount; r++) (grouped[slotOf[r]] ??= []).Add(new LookupRow(batch, r));
        for (var i = 0; i < results.Length; i++) if (grouped[i] is { } g) results[i] = [.. g];
    }

    public IEnumerable<ColumnBatch> ScanAll()
    {
        var batches = new List<ColumnBatch>();
        foreach (var batch in _inner.ScanAll())
        {
            var (output, _) = Apply(batch, null);
            if (output.RowCount > 0) batches.Add(output);
        }
        return batches;
    }

    /// <summary>Runs the stages over <paramref name="batch"/>; <paramref name="tags"/> (one per row, optional) follow the rows the filters keep.</summary>
    private (ColumnBatch, int[]) Apply(ColumnBatch batch, int[]? tags)
    {
        foreach (var (project, filter) in _stages)
        {
            if (batch.RowCount == 0) break;
            if (filter is not null)
            {
                var selection = new int[batch.RowCount];
                var kept = filter.Select(batch, Vectors.Selection.All(batch.RowCount), selection);
                if (kept == batch.RowCount) continue;
                batch = batch.Gather(selection.AsSpan(0, kept));
                if (tags is not null)
                {
                    var next = new int[kept];
                    for (var i = 0; i < kept; i++) next[i] = tags[selection[i]];
                    tags = next;
                }
            }
            else
            {
                var columns = new ColumnVector[project!.Length];
                for (var c = 0; c < columns.Length; c++) columns[c] = project[c].Evaluate(batch);
                batch = new ColumnBatch(columns, batch.RowCount);
            }
        }
        return (batch, tags ?? []);
    }

    private static ColumnBatch Gather(List<LookupRow> rows, IReadOnlyList<DataType> types)
    {
        var columns = new ColumnVector[types.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var vector = ColumnVector.Create(types[c], rows.Count);
            foreach (var row in rows) vector.AppendFrom(row.Batch.Columns[c], row.Row);
            columns[c] = vector;
        }
        return new ColumnBatch(columns, rows.Count);
    }

    public void Dispose() => _inner.Dispose();
}
