using System.Globalization;
using Tarn.Types;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>A Tarn column type as PostgreSQL describes it: type OID, atttypmod and format_type's spelling.</summary>
internal readonly record struct PgColumnType(int Oid, int TypMod, string Formatted, DataType Type);

/// <summary>
/// Maps Tarn's SQL types onto PostgreSQL's, consistently with what the wire sends (<see cref="PgTypeOids.For"/>): the
/// catalog must name the same type a query's RowDescription carries. Modifiers follow PostgreSQL: varchar(n) and
/// numeric(p,s) carry typmod n+4 and ((p&lt;&lt;16)|s)+4; a timestamp shows its precision unless it is the default 6.
/// </summary>
internal static class PgColumnTypes
{
    public static PgColumnType For(DataType type)
    {
        var oid = PgTypeOids.For(type);
        var name = PgBuiltinTypes.Find(oid)?.FormatName ?? "text";
        return oid switch
        {
            PgTypeOids.Numeric => new(oid, ((type.Precision << 16) | type.Scale) + 4, Invariant($"numeric({type.Precision},{type.Scale})"), type),
            PgTypeOids.Varchar => new(oid, type.Length + 4, Invariant($"character varying({type.Length})"), type),
            PgTypeOids.BpChar => new(oid, type.Length + 4, Invariant($"character({type.Length})"), type),
            PgTypeOids.Timestamp when type.Precision != 6 => new(oid, type.Precision, Invariant($"timestamp({type.Precision}) without time zone"), type),
            PgTypeOids.TimestampTz when type.Precision != 6 => new(oid, type.Precision, Invariant($"timestamp({type.Precision}) with time zone"), type),
            _ => new(oid, -1, name, type),
        };
    }

    /// <summary>information_schema.columns.data_type: the standard's spelling, without modifiers.</summary>
    public static string StandardName(int oid) => oid switch
    {
        PgTypeOids.Varchar => "character varying",
        PgTypeOids.BpChar => "character",
        _ => PgBuiltinTypes.Find(oid)?.FormatName ?? "text",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
