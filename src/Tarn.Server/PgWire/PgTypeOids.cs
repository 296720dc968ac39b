using Tarn.Types;

namespace Tarn.Server.PgWire;

/// <summary>PostgreSQL type OIDs and the mapping from Tarn's SQL types to them.</summary>
internal static class PgTypeOids
{
    public const int Bool = 16;
    public const int Bytea = 17;
    public const int Int8 = 20;
    public const int Int2 = 21;
    public const int Int4 = 23;
    public const int Text = 25;
    public const int Float4 = 700;
    public const int Float8 = 701;
    public const int Unknown = 705;
    public const int BpChar = 1042;
    public const int Varchar = 1043;
    public const int Date = 1082;
    public const int Time = 1083;
    public const int Timestamp = 1114;
    public const int TimestampTz = 1184;
    public const int Interval = 1186;
    public const int Numeric = 1700;

    public static int For(DataType type) => type.Kind switch
    {
        TypeKind.Boolean => Bool,
        TypeKind.TinyInt or TypeKind.SmallInt => Int2,
        TypeKind.Int => Int4,
        TypeKind.BigInt => Int8,
        TypeKind.Float => Float4,
        TypeKind.Double => Float8,
        TypeKind.Decimal => Numeric,
        TypeKind.Char => BpChar,
        TypeKind.Varchar => type.Length is > 0 and < int.MaxValue ? Varchar : Text,
        TypeKind.Binary or TypeKind.Varbinary => Bytea,
        TypeKind.Date => Date,
        TypeKind.Time => Time,
        TypeKind.Timestamp => Timestamp,
        TypeKind.TimestampLtz => TimestampTz,
        TypeKind.IntervalDayTime or TypeKind.IntervalYearMonth => Interval,
        _ => Text, // ARRAY, ROW and untyped NULL travel as their text form
    };

    /// <summary>typlen for RowDescription: fixed sizes, -1 for variable length.</summary>
    public static short Length(int oid) => oid switch
    {
        Bool => 1,
        Int2 => 2,
        Int4 or Float4 or Date => 4,
        Int8 or Float8 or Time or Timestamp or TimestampTz => 8,
        Interval => 16,
        _ => -1,
    };
}
