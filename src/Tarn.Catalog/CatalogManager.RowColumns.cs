using Tarn.Catalog.Model;

namespace Tarn.Catalog;

public sealed partial class CatalogManager
{
    /// <summary>Native tables cannot store ROW values yet (segments have no layout for them); connector tables may declare them.</summary>
    private static void RejectRowColumns(ObjectPath path, IEnumerable<ColumnDef> columns)
    {
        foreach (var c in columns)
            if (c.Type.IsRow)
                throw new TarnException(SqlStates.FeatureNotSupported,
                    $"column '{c.Name}' of native table '{path}' is a ROW; ROW columns are supported in connector tables only (e.g. 'connector' = 'nexmark')");
    }
}
