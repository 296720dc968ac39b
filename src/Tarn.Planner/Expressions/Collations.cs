using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// String collations (DuckDB's <c>COLLATE NOCASE</c>). A collation travels with the type
/// (<see cref="DataType.Collation"/>); the planner applies it by comparing, grouping and sorting on a collation key
/// instead of the value: for NOCASE, <c>LOWER(value)</c>. Values themselves are never changed, so a grouped or
/// distinct collated column shows one of the group's original spellings.
/// </summary>
public static class Collations
{
    public const string NoCase = "NOCASE";

    /// <summary>
    /// The type with its collation checked and normalized: NOCASE stays; BINARY, C and POSIX (the default order) become
    /// none; other names are not supported (0A000), and a collation on a non-string type is an error (42804).
    /// </summary>
    public static DataType Normalize(DataType type, SourcePosition? position = null)
    {
        if (type.Collation is null) return type;
        var where = position is { } p ? $" at {p}" : "";
        if (!type.IsString)
            throw Fail(SqlStates.DatatypeMismatch, $"collations apply only to string types, not {type.WithCollation(null).ToSql()}{where}", position);
        return type.Collation switch
        {
            NoCase => type,
            "BINARY" or "C" or "POSIX" => type.WithCollation(null),
            _ => throw Fail(SqlStates.FeatureNotSupported, $"collation {type.Collation} is not supported (NOCASE and BINARY are){where}", position),
        };
    }

    private static TarnException Fail(string state, string message, SourcePosition? position) =>
        position is { } p ? new TarnException(state, message, p) : new TarnException(state, message);

    /// <summary>The collation a comparison of the two types uses: the one either side has; 42P21 when they differ.</summary>
    public static string? Common(DataType a, DataType b)
    {
        var x = a.IsString ? a.Collation : null;
        var y = b.IsString ? b.Collation : null;
        if (x is null) return y;
        if (y is null || x == y) return x;
        throw new TarnException("42P21", $"collation mismatch between {x} and {y}");
    }

    /// <summary>The collation of a string expression (null for the default order or a non-string).</summary>
    public static string? Of(DataType type) => type.IsString ? type.Collation : null;

    /// <summary>The value that compares under <paramref name="collation"/> as <paramref name="e"/> should (e itself without one).</summary>
    public static BoundExpression Key(BoundExpression e, string? collation)
    {
        if (collation is null || !e.Type.IsString) return e;
        // The key has no collation itself, so comparing keys never wraps them again.
        return new BoundFunctionCall("LOWER", [e], e.Type.WithCollation(null));
    }

    /// <summary>The collation key of <paramref name="e"/> under its own collation.</summary>
    public static BoundExpression Key(BoundExpression e) => Key(e, Of(e.Type));
}
