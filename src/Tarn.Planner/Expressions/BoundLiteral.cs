using System.Globalization;
using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// A constant. <see cref="Value"/> holds the PHYSICAL form of the value for <see cref="BoundExpression.Type"/>:
/// <list type="bullet">
/// <item>BOOLEAN bool; TINYINT sbyte; SMALLINT short; INT int; BIGINT long; FLOAT float; DOUBLE double;</item>
/// <item>CHAR/VARCHAR string; BINARY/VARBINARY byte[]; ARRAY byte[] in the encoding of <c>ArrayValues</c>;</item>
/// <item>DATE int days since 1970-01-01; TIME long units since midnight; TIMESTAMP/TIMESTAMP_LTZ long units
/// since 1970-01-01 00:00 (UTC for LTZ) — units are microseconds for precision ≤ 6, nanoseconds above
/// (<see cref="DataType.TimeUnitsPerSecond"/>);</item>
/// <item>DECIMAL(p,s) the unscaled integer: long when p ≤ 18, Int128 above;</item>
/// <item>INTERVAL DAY TO SECOND long microseconds; INTERVAL YEAR TO MONTH int months;</item>
/// <item>NULL of any type: <c>null</c>.</item>
/// </list>
/// The constructor rejects a value whose CLR type does not match, so a wrong literal fails at bind time.
/// </summary>
public sealed record BoundLiteral : BoundExpression
{
    public BoundLiteral(object? value, DataType type) : base(type)
    {
        if (value is not null && !IsPhysicalValueOf(value, type))
            throw new ArgumentException($"literal value {value} ({value.GetType().Name}) is not the physical form of {type}");
        Value = value;
    }

    public object? Value { get; }

    public bool IsNull => Value is null;

    public override IEnumerable<BoundExpression> Children => [];

    public static BoundLiteral Null(DataType type) => new(null, type.WithNullable(true));
    public static BoundLiteral Of(bool v) => new(v, DataType.Boolean.WithNullable(false));
    public static BoundLiteral Of(int v) => new(v, DataType.Int.WithNullable(false));
    public static BoundLiteral Of(long v) => new(v, DataType.BigInt.WithNullable(false));
    public static BoundLiteral Of(double v) => new(v, DataType.Double.WithNullable(false));
    public static BoundLiteral Of(string v) => new(v, DataType.Varchar(Math.Max(1, v.Length)).WithNullable(false));

    /// <summary>True when <paramref name="value"/> has the CLR type that <paramref name="type"/> is stored as.</summary>
    public static bool IsPhysicalValueOf(object value, DataType type) => type.Kind switch
    {
        TypeKind.Null => false,
        TypeKind.Char or TypeKind.Varchar => value is string,
        TypeKind.Binary or TypeKind.Varbinary => value is byte[],
        TypeKind.Array => value is byte[], // the array encoding (ArrayValues)
        TypeKind.Decimal => type.Precision <= 18 ? value is long : value is Int128,
        _ => type.Physical switch
        {
            PhysicalType.Bool => value is bool,
            PhysicalType.Int8 => value is sbyte,
            PhysicalType.Int16 => value is short,
            PhysicalType.Int32 => value is int,
            PhysicalType.Int64 => value is long,
            PhysicalType.Int128 => value is Int128,
            PhysicalType.Float32 => value is float,
            PhysicalType.Float64 => value is double,
            _ => false,
        },
    };

    public bool Equals(BoundLiteral? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (!Type.Equals(other.Type)) return false;
        if (Value is byte[] a) return other.Value is byte[] b && a.AsSpan().SequenceEqual(b);
        return Equals(Value, other.Value);
    }

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Type);
        if (Value is byte[] bytes) h.AddBytes(bytes);
        else h.Add(Value);
        return h.ToHashCode();
    }

    public override string ToString() => Value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] b => "x'" + Convert.ToHexString(b) + "'",
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + (Type.IsNumeric && Type.Kind != TypeKind.Int ? "::" + Type.ToSql() : ""),
        _ => Value.ToString() ?? "",
    };
}
