using Tarn.Types;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// Answers the catalog queries Npgsql sends when it opens its first connection with default type loading
/// (Npgsql's PostgresDatabaseInfo: the type query over pg_type/pg_class/pg_proc/pg_range/pg_namespace, the composite
/// fields query over pg_attribute and the enum labels query over pg_enum). The type query returns pg_type's rows the
/// way Npgsql's query would (arrays get typtype 'a' and their element OID; base types first, arrays last); Tarn has no
/// composite, enum, range or domain types, so the other two return no rows.
/// </summary>
internal static class PgNpgsqlQueries
{
    private static readonly PgSystemColumn[] TypeColumns =
    [
        new("nspname", DataType.String), new("oid", DataType.Int), new("typname", DataType.String),
        new("typtype", DataType.String), new("typnotnull", DataType.Boolean), new("elemtypoid", DataType.Int),
    ];

    private static readonly PgSystemColumn[] CompositeColumns = [new("oid", DataType.Int), new("attname", DataType.String), new("atttypid", DataType.Int)];

    private static readonly PgSystemColumn[] EnumColumns = [new("oid", DataType.Int), new("enumlabel", DataType.String)];

    public static TarnResult? TryAnswer(string sql)
    {
        if (sql.Contains("FROM pg_type AS typ", StringComparison.Ordinal) && sql.Contains("array_recv", StringComparison.Ordinal)
            && sql.Contains("elemtypoid", StringComparison.Ordinal))
            return PgCatalogResult.Build(TypeColumns, TypeRows());
        if (sql.Contains("JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)", StringComparison.Ordinal))
            return PgCatalogResult.Build(CompositeColumns, []);
        if (sql.Contains("FROM pg_enum", StringComparison.Ordinal) && sql.Contains("enumlabel", StringComparison.Ordinal)
            && sql.Contains("JOIN pg_type AS typ ON typ.oid = enumtypid", StringComparison.Ordinal))
            return PgCatalogResult.Build(EnumColumns, []);
        return null;
    }

    private static IEnumerable<object?[]> TypeRows()
    {
        foreach (var t in PgBuiltinTypes.All)
            if (!t.IsArray) yield return ["pg_catalog", t.Oid, t.Name, t.TypType.ToString(), false, null];
        foreach (var t in PgBuiltinTypes.All)
        {
            if (!t.IsArray) continue;
            // Npgsql loads arrays of base and of the pseudo-types record and void only.
            var element = PgBuiltinTypes.Find(t.Element);
            if (element is null || (element.TypType == 'p' && element.Name is not ("record" or "void"))) continue;
            yield return ["pg_catalog", t.Oid, t.Name, "a", false, t.Element];
        }
    }
}
