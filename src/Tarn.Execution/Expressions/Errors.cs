using Tarn.Types;

namespace Tarn.Execution.Expressions;

/// <summary>The SQL errors expression evaluation raises.</summary>
public static class EvalErrors
{
    /// <summary>PostgreSQL's code for a bad LIKE escape (not in the shared SqlStates list yet).</summary>
    public const string InvalidEscapeSequence = "22025";

    public static TarnException OutOfRange(DataType type) =>
        new(SqlStates.NumericValueOutOfRange, $"value out of range for type {type.WithNullable(true).ToSql()}");

    public static TarnException DivisionByZero() => new(SqlStates.DivisionByZero, "division by zero");

    public static TarnException InvalidText(DataType type, ReadOnlySpan<byte> text) =>
        new(SqlStates.InvalidTextRepresentation,
            $"invalid input syntax for type {type.WithNullable(true).ToSql()}: '{Text.Utf8Text.Decode(text)}'");

    public static TarnException DatetimeOverflow(DataType type) =>
        new(SqlStates.DatetimeFieldOverflow, $"value out of range for type {type.WithNullable(true).ToSql()}");

    /// <summary>Translates the CLR exceptions checked arithmetic raises into SQL errors about <paramref name="type"/>.</summary>
    public static Exception Translate(Exception e, DataType type) => e switch
    {
        TarnException => e,
        DivideByZeroException => DivisionByZero(),
        OverflowException or ArithmeticException => OutOfRange(type),
        _ => e,
    };

    public static bool IsEvaluationError(Exception e) => e is TarnException or ArithmeticException;
}
