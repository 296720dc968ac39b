using System.Text;

namespace Tarn.Types;

/// <summary>
/// A SQL data type: kind plus parameters. Immutable; compare with <see cref="Equals(DataType?)"/>.
/// Length is for CHAR/VARCHAR/BINARY/VARBINARY (<see cref="MaxLength"/> means unbounded, i.e. STRING/BYTES);
/// Precision/Scale are for DECIMAL, and Precision is the fractional-second precision of TIME/TIMESTAMP.
/// </summary>
public sealed partial record DataType(TypeKind Kind, int Precision = 0, int Scale = 0, int Length = 0, bool Nullable = true)
{
    public const int MaxLength = int.MaxValue;
    public const int MaxDecimalPrecision = 38;

    public static readonly DataType Boolean = new(TypeKind.Boolean);
    public static readonly DataType TinyInt = new(TypeKind.TinyInt);
    public static readonly DataType SmallInt = new(TypeKind.SmallInt);
    public static readonly DataType Int = new(TypeKind.Int);
    public static readonly DataType BigInt = new(TypeKind.BigInt);
    public static readonly DataType Float = new(TypeKind.Float);
    public static readonly DataType Double = new(TypeKind.Double);
    public static readonly DataType String = new(TypeKind.Varchar, Length: MaxLength);
    public static readonly DataType Bytes = new(TypeKind.Varbinary, Length: MaxLength);
    public static readonly DataType Date = new(TypeKind.Date);
    public static readonly DataType Null = new(TypeKind.Null);

    public static DataType Decimal(int precision, int scale) => new(TypeKind.Decimal, precision, scale);
    public static DataType Timestamp(int precision = 6) => new(TypeKind.Timestamp, precision);
    public static DataType TimestampLtz(int precision = 6) => new(TypeKind.TimestampLtz, precision);
    public static DataType Time(int precision = 0) => new(TypeKind.Time, precision);
    public static DataType Varchar(int length) => new(TypeKind.Varchar, Length: length);
    public static DataType Char(int length) => new(TypeKind.Char, Length: length);

    /// <summary>The element type of an ARRAY (always nullable: elements may be NULL); null for every other kind.</summary>
    public DataType? Element { get; init; }

    /// <summary>ARRAY&lt;element&gt;; the element type is made nullable (array elements may always be NULL).</summary>
    public static DataType Array(DataType element) => new(TypeKind.Array) { Element = element.WithNullable(true) };

    public bool IsArray => Kind == TypeKind.Array;

    public DataType WithNullable(bool nullable) => nullable == Nullable ? this : this with { Nullable = nullable };

    public PhysicalType Physical => Kind switch
    {
        TypeKind.Boolean => PhysicalType.Bool,
        TypeKind.TinyInt => PhysicalType.Int8,
        TypeKind.SmallInt => PhysicalType.Int16,
        TypeKind.Int or TypeKind.Date => PhysicalType.Int32,
        TypeKind.BigInt or TypeKind.Time or TypeKind.Timestamp or TypeKind.TimestampLtz
            or TypeKind.IntervalDayTime => PhysicalType.Int64,
        TypeKind.IntervalYearMonth => PhysicalType.Int32,
        TypeKind.Float => PhysicalType.Float32,
        TypeKind.Double => PhysicalType.Float64,
        TypeKind.Decimal => Precision <= 18 ? PhysicalType.Int64 : PhysicalType.Int128,
        TypeKind.Char or TypeKind.Varchar or TypeKind.Binary or TypeKind.Varbinary or TypeKind.Array => PhysicalType.Binary,
        TypeKind.Null => PhysicalType.Int8,
        _ => throw new InvalidOperationException($"no physical type for {Kind}"),
    };

    public bool IsString => Kind is TypeKind.Char or TypeKind.Varchar;
    public bool IsBinary => Kind is TypeKind.Binary or TypeKind.Varbinary;
    public bool IsIntegral => Kind is TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt;
    public bool IsApproximate => Kind is TypeKind.Float or TypeKind.Double;
    public bool IsNumeric => IsIntegral || IsApproximate || Kind == TypeKind.Decimal;
    public bool IsTemporal => Kind is TypeKind.Date or TypeKind.Time or TypeKind.Timestamp or TypeKind.TimestampLtz;
    public bool IsTimestamp => Kind is TypeKind.Timestamp or TypeKind.TimestampLtz;

    /// <summary>Units per second of a TIME/TIMESTAMP value: microseconds up to precision 6, nanoseconds above.</summary>
    public long TimeUnitsPerSecond => Precision > 6 ? 1_000_000_000L : 1_000_000L;

    /// <summary>The SQL spelling, as DESCRIBE prints it (Flink's names).</summary>
    public string ToSql()
    {
        var sb = new StringBuilder();
        sb.Append(Kind switch
        {
            TypeKind.Boolean => "BOOLEAN",
            TypeKind.TinyInt => "TINYINT",
            TypeKind.SmallInt => "SMALLINT",
            TypeKind.Int => "INT",
            TypeKind.BigInt => "BIGINT",
            TypeKind.Float => "FLOAT",
            TypeKind.Double => "DOUBLE",
            TypeKind.Decimal => $"DECIMAL({Precision}, {Scale})",
            TypeKind.Char => $"CHAR({Length})",
            TypeKind.Varchar => Length == MaxLength ? "STRING" : $"VARCHAR({Length})",
            TypeKind.Binary => $"BINARY({Length})",
            TypeKind.Varbinary => Length == MaxLength ? "BYTES" : $"VARBINARY({Length})",
            TypeKind.Date => "DATE",
            TypeKind.Time => $"TIME({Precision})",
            TypeKind.Timestamp => $"TIMESTAMP({Precision})",
            TypeKind.TimestampLtz => $"TIMESTAMP_LTZ({Precision})",
            TypeKind.Null => "NULL",
            TypeKind.IntervalDayTime => "INTERVAL DAY TO SECOND",
            TypeKind.IntervalYearMonth => "INTERVAL YEAR TO MONTH",
            TypeKind.Array => $"ARRAY<{Element?.WithNullable(true).ToSql()}>",
            TypeKind.Row => RowSql(),
            _ => Kind.ToString().ToUpperInvariant(),
        });
        if (Collation is not null) sb.Append(" COLLATE ").Append(CollationSql(Collation));
        if (!Nullable) sb.Append(" NOT NULL");
        return sb.ToString();
    }

    /// <summary>A collation name as SQL: dotted plain names as they are, anything else a string literal (so it parses back).</summary>
    private static string CollationSql(string collation)
    {
        foreach (var part in collation.Split('.'))
        {
            var plain = part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_');
            foreach (var c in part) plain &= char.IsAsciiLetterOrDigit(c) || c == '_';
            if (!plain) return "'" + collation.Replace("'", "''", StringComparison.Ordinal) + "'";
        }
        return collation;
    }

    public override string ToString() => ToSql();
}
