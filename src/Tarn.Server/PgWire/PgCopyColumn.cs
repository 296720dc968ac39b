using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>How COPY decodes a value into a column: one case per physical representation, chosen once per column.</summary>
internal enum PgCopyKind
{
    Bool,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    Decimal64,
    Decimal128,
    Text,
    Bytes,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    IntervalDayTime,
    IntervalYearMonth,
    Other,
}

/// <summary>One column COPY FROM fills: its type, its decode case and the vector of the batch being built.</summary>
internal sealed class PgCopyColumn
{
    public PgCopyColumn(string name, DataType type, ColumnVector vector)
    {
        Name = name;
        Type = type;
        Vector = vector;
        Kind = KindOf(type);
        if (type.Kind == TypeKind.Decimal && type.Precision <= 18)
        {
            var limit = 1L;
            for (var i = 0; i < type.Precision; i++) limit *= 10;
            DecimalLimit = limit;
        }
        NanoTime = type.Precision > 6;
    }

    public string Name { get; }

    public DataType Type { get; }

    public PgCopyKind Kind { get; }

    /// <summary>The vector of the batch being filled (replaced when a batch is handed on).</summary>
    public ColumnVector Vector { get; set; }

    /// <summary>10^precision of a DECIMAL stored in 64 bits: |unscaled| must stay below it.</summary>
    public long DecimalLimit { get; }

    /// <summary>TIME/TIMESTAMP stored in nanoseconds (precision above 6) rather than microseconds.</summary>
    public bool NanoTime { get; }

    /// <summary>The PostgreSQL name of the type, for error messages ("invalid input syntax for type integer").</summary>
    public string PgTypeName => Kind switch
    {
        PgCopyKind.Bool => "boolean",
        PgCopyKind.TinyInt or PgCopyKind.SmallInt => "smallint",
        PgCopyKind.Int => "integer",
        PgCopyKind.BigInt => "bigint",
        PgCopyKind.Float => "real",
        PgCopyKind.Double => "double precision",
        PgCopyKind.Decimal64 or PgCopyKind.Decimal128 => "numeric",
        PgCopyKind.Bytes => "bytea",
        PgCopyKind.Date => "date",
        PgCopyKind.Time => "time without time zone",
        PgCopyKind.Timestamp => "timestamp without time zone",
        PgCopyKind.TimestampTz => "timestamp with time zone",
        PgCopyKind.IntervalDayTime or PgCopyKind.IntervalYearMonth => "interval",
        PgCopyKind.Text => "text",
        _ => Type.ToSql(),
    };

    private static PgCopyKind KindOf(DataType type) => type.Kind switch
    {
        TypeKind.Boolean => PgCopyKind.Bool,
        TypeKind.TinyInt => PgCopyKind.TinyInt,
        TypeKind.SmallInt => PgCopyKind.SmallInt,
        TypeKind.Int => PgCopyKind.Int,
        TypeKind.BigInt => PgCopyKind.BigInt,
        TypeKind.Float => PgCopyKind.Float,
        TypeKind.Double => PgCopyKind.Double,
        TypeKind.Decimal => type.Precision <= 18 ? PgCopyKind.Decimal64 : PgCopyKind.Decimal128,
        TypeKind.Char or TypeKind.Varchar => PgCopyKind.Text,
        TypeKind.Binary or TypeKind.Varbinary => PgCopyKind.Bytes,
        TypeKind.Date => PgCopyKind.Date,
        TypeKind.Time => PgCopyKind.Time,
        TypeKind.Timestamp => PgCopyKind.Timestamp,
        TypeKind.TimestampLtz => PgCopyKind.TimestampTz,
        TypeKind.IntervalDayTime => PgCopyKind.IntervalDayTime,
        TypeKind.IntervalYearMonth => PgCopyKind.IntervalYearMonth,
        _ => PgCopyKind.Other,
    };
}
