using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// A connector table reads its physical columns; whether its connector can be read in batch is decided when the
    /// plan is lowered (the planner does not know the connector implementations).
    /// </summary>
    private LogicalPlan BindConnectorTable(ObjectPath path, TableDef table, NamedTable named)
    {
        if (named.SystemTime is not null)
            throw Error(SqlStates.FeatureNotSupported, $"FOR SYSTEM_TIME AS OF applies to native tables, not connector table '{path}'", named.Position);
        var physical = new List<int>();
        var columns = new List<OutputColumn>();
        var index = 0;
        foreach (var c in table.Columns)
        {
            if (!c.IsPhysical)
                throw Error(SqlStates.FeatureNotSupported, $"computed and metadata columns of connector table '{path}' cannot be read yet", named.Position);
            physical.Add(index++);
            columns.Add(new OutputColumn(c.Name, c.Type));
        }
        return new LogicalConnectorScan(path, table, physical, columns, named.Alias?.Name.Value ?? path.Name, named.Position);
    }
}
