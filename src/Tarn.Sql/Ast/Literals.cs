using System.Globalization;

namespace Tarn.Sql.Ast;

/// <summary>An integer that fits a 64-bit signed integer; a leading minus sign is folded in.</summary>
public sealed record IntegerLiteral(long Value, SourcePosition Position) : Expression(Position);

/// <summary>
/// An exact number with a decimal point, or an integer too large for BIGINT. <see cref="Text"/> is the
/// literal as written (optionally with a leading '-'), so its scale survives: 1.50 is DECIMAL(3, 2).
/// </summary>
public sealed record DecimalLiteral(string Text, SourcePosition Position) : Expression(Position)
{
    /// <summary>Digits after the decimal point.</summary>
    public int Scale => Text.IndexOf('.') is var dot and >= 0 ? Text.Length - dot - 1 : 0;

    /// <summary>Significant digits (leading zeros of the integer part do not count), at least 1.</summary>
    public int Precision
    {
        get
        {
            var digits = Text.TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0');
            return Math.Max(Math.Max(digits.Length, Scale), 1);
        }
    }
}

/// <summary>A number with an exponent (1e3, 1.5E-2): DOUBLE.</summary>
public sealed record DoubleLiteral(double Value, SourcePosition Position) : Expression(Position)
{
    public string Text => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A character string literal, quotes removed and '' unescaped.</summary>
public sealed record StringLiteral(string Value, SourcePosition Position) : Expression(Position);

/// <summary>X'0AFF'. <see cref="Hex"/> is upper-case with an even number of digits.</summary>
public sealed record BinaryLiteral(string Hex, SourcePosition Position) : Expression(Position)
{
    public byte[] ToBytes() => Convert.FromHexString(Hex);
}

/// <summary>TRUE, FALSE or UNKNOWN (a null <see cref="Value"/>: the boolean-typed null).</summary>
public sealed record BooleanLiteral(bool? Value, SourcePosition Position) : Expression(Position);

public sealed record NullLiteral(SourcePosition Position) : Expression(Position);

public enum DateTimeLiteralKind
{
    Date,
    Time,
    Timestamp,
}

/// <summary>DATE '2024-01-01', TIME '10:00:00', TIMESTAMP '2024-01-01 10:00:00.123'. The text is not validated here.</summary>
public sealed record DateTimeLiteral(DateTimeLiteralKind Kind, string Value, SourcePosition Position) : Expression(Position);

/// <summary>
/// INTERVAL [-]'value' qualifier, e.g. INTERVAL '10' MINUTE, INTERVAL '1 02:03' DAY TO MINUTE. The value text is
/// not validated against the qualifier here; <see cref="Negative"/> is the sign written before the quote.
/// </summary>
public sealed record IntervalLiteral(string Value, bool Negative, IntervalQualifier Qualifier, SourcePosition Position)
    : Expression(Position);
