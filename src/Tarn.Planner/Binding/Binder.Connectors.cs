using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A connector table reads its physical columns, ROW columns flattened into one column per field (named
    /// <c>row.field</c>, see <see cref="ColumnLeaves"/>); computed columns are computed from those in a projection, as
    /// for native tables. Whether its connector can be read in batch is decided when the plan is lowered (the planner
    /// does not know the connector implementations).
    /// </summary>
    private LogicalPlan BindConnectorTable(ObjectPath path, TableDef table, NamedTable named)
    {
        if (named.SystemTime is not null)
            throw Error(SqlStates.FeatureNotSupported, $"FOR SYSTEM_TIME AS OF applies to native tables, not connector table '{path}'", named.Position);
        var alias = named.Alias?.Name.Value ?? path.Name;
        var leaves = ColumnLeaves.Physical(table);
        var indexes = new List<int>(leaves.Count);
        var columns = new List<OutputColumn>(leaves.Count);
        for (var i = 0; i < leaves.Count; i++)
        {
            indexes.Add(i);
            columns.Add(new OutputColumn(leaves[i].Name, leaves[i].Type));
        }
        // Metadata columns (METADATA FROM 'offset', ...) follow the physical ones: scan position leaves + i is the
        // table's i-th metadata column. Connectors that have no metadata reject them when the scan is opened.
        foreach (var c in table.Columns)
        {
            if (!c.IsMetadata) continue;
            indexes.Add(indexes.Count);
            columns.Add(new OutputColumn(c.Name, c.Type));
        }
        LogicalPlan scan = new LogicalConnectorScan(path, table, indexes, columns, alias, named.Position);
        if (table.Columns.All(c => c.IsPhysical)) return scan;

        var scope = Scope.FromOutput(scan.Output, path.Name);
        var exprs = new List<BoundExpression>();
        var output = new List<OutputColumn>();
        var leaf = 0;
        var metadata = leaves.Count;
        foreach (var c in table.Columns)
        {
            if (c.IsMetadata)
            {
                exprs.Add(BoundExpressions.Column(metadata++, c.Type));
                output.Add(new OutputColumn(c.Name, c.Type));
                continue;
            }
            if (c.IsPhysical)
            {
                foreach (var l in ColumnLeaves.Of(c))
                {
                    exprs.Add(BoundExpressions.Column(leaf++, l.Type));
                    output.Add(new OutputColumn(l.Name, l.Type));
                }
                continue;
            }
            var e = BindExpression(SqlParser.ParseExpression(c.ComputedExpression!), scope);
            exprs.Add(e);
            output.Add(new OutputColumn(c.Name, e.Type));
        }
        return new LogicalProject(scan, exprs, output);
    }
}
