using Tarn.Internal;

namespace Tarn;

public sealed partial class TarnSession
{
    /// <summary>
    /// Starts an all-or-nothing bulk load into a native table, resolved like a statement's table name in this session
    /// (see <see cref="TarnBulkLoad"/>).
    /// </summary>
    public TarnBulkLoad BeginBulkLoad(string table)
    {
        var path = TarnDatabase.ResolveTable(this, table);
        var def = Core.Catalog.FindTable(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"relation \"{table}\" does not exist");
        if (!def.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table; bulk loads write native tables only");
        return new TarnBulkLoad(this, def, StatementRunner.BulkReadVersion(this, def.TableId));
    }
}
