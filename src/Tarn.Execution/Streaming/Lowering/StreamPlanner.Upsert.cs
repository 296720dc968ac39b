using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// An upsert source (upsert-kafka) emits each key's new row (+U) and key-only deletes (-D); like Flink, a
    /// normalizing step keyed by the primary key (<see cref="StreamUpsertNormalize"/>) turns them into +I / -U / +U / -D
    /// so every operator downstream sees an exact changelog. The scan reads the key columns even when the query does
    /// not; they are dropped after the normalizing step.
    /// </summary>
    private void LowerUpsertConnectorScan(LogicalConnectorScan scan, IChangeConsumer output)
    {
        var physical = scan.Table.Columns.Where(c => c.IsPhysical).ToList();
        var indexes = new List<int>(scan.ColumnIndexes);
        var columns = new List<OutputColumn>(scan.Columns);
        var keyColumns = new int[scan.Table.PrimaryKey.Count];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            var index = physical.FindIndex(c => string.Equals(c.Name, scan.Table.PrimaryKey[k], StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new TarnException(SqlStates.UndefinedColumn, $"primary key column '{scan.Table.PrimaryKey[k]}' of '{scan.Path}' is not a physical column", scan.Position);
            var at = indexes.IndexOf(index);
            if (at < 0)
            {
                at = indexes.Count;
                indexes.Add(index);
                columns.Add(new OutputColumn(physical[index].Name, physical[index].Type));
            }
            keyColumns[k] = at;
        }
        IChangeConsumer consumer = output;
        if (indexes.Count > scan.ColumnIndexes.Count)
        {
            var keep = new BoundExpression[scan.ColumnIndexes.Count];
            for (var i = 0; i < keep.Length; i++) keep[i] = BoundExpressions.Column(i, scan.Columns[i].Type);
            consumer = new StreamProject(keep, context, consumer);
        }
        var normalize = new StreamUpsertNormalize(keyColumns, columns.Select(c => c.Type).ToList(), state.ForNextOperator(), consumer);
        var read = scan with { ColumnIndexes = indexes, Columns = columns };
        var source = context.Connectors?.OpenStream(read, context)
            ?? throw new TarnException(SqlStates.FeatureNotSupported,
                $"connector '{scan.Table.Connector}' of table '{scan.Path}' cannot be read as a stream at {scan.Position}", scan.Position);
        _inputs.Add(new StreamInput(source, normalize, $"{scan.Table.Connector} {scan.Path}"));
    }
}
