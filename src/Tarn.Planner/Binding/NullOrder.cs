namespace Tarn.Planner.Binding;

/// <summary>
/// Where NULLs sort when an ORDER BY item says neither NULLS FIRST nor NULLS LAST (the session option
/// <c>default_null_order</c>, named as in DuckDB). Tarn's default is Flink's (and SQLite's, Spark's, Hive's):
/// NULL is the smallest value, so first ascending and last descending. PostgreSQL treats NULL as the largest value;
/// DuckDB puts NULLs last in both directions.
/// </summary>
public enum NullOrder
{
    /// <summary>NULL is smallest: first ascending, last descending (Flink, SQLite). The default.</summary>
    NullsFirstOnAscLastOnDesc,

    /// <summary>NULL is largest: last ascending, first descending (PostgreSQL, Oracle).</summary>
    NullsLastOnAscFirstOnDesc,

    /// <summary>First in both directions.</summary>
    NullsFirst,

    /// <summary>Last in both directions (DuckDB's default).</summary>
    NullsLast,
}

public static class NullOrders
{
    public const string OptionKey = "default_null_order";

    /// <summary>Parses an option value; DuckDB's spellings, case-insensitive, with '_' or '-' or ' ' between words.</summary>
    public static NullOrder? Parse(string? value)
    {
        if (value is null) return null;
        return value.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_') switch
        {
            "nulls_first_on_asc_last_on_desc" or "nulls_smallest" or "small" => NullOrder.NullsFirstOnAscLastOnDesc,
            "nulls_last_on_asc_first_on_desc" or "nulls_largest" or "large" => NullOrder.NullsLastOnAscFirstOnDesc,
            "nulls_first" or "first" => NullOrder.NullsFirst,
            "nulls_last" or "last" => NullOrder.NullsLast,
            _ => null,
        };
    }

    /// <summary>Whether NULLs come first for a key sorted in the given direction.</summary>
    public static bool NullsFirst(this NullOrder order, bool descending) => order switch
    {
        NullOrder.NullsFirstOnAscLastOnDesc => !descending,
        NullOrder.NullsLastOnAscFirstOnDesc => descending,
        NullOrder.NullsFirst => true,
        _ => false,
    };
}
