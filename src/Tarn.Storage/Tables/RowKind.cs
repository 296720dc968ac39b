namespace Tarn.Storage.Tables;

/// <summary>
/// The change a stored row of a primary-key table describes (Flink's RowKind, with Flink's byte values). Stored in
/// the hidden <c>$kind</c> column (storage-spec/01-database-layout.md, "Primary-key tables"). Append-only tables have
/// no such column: every row is an insert.
/// </summary>
public enum RowKind : sbyte
{
    /// <summary>+I: a new row, or on a primary-key table the new value of its key (upsert).</summary>
    Insert = 0,

    /// <summary>-U: the old value of a row an UPDATE changed.</summary>
    UpdateBefore = 1,

    /// <summary>+U: the new value of a row an UPDATE changed.</summary>
    UpdateAfter = 2,

    /// <summary>-D: the key was deleted.</summary>
    Delete = 3,
}

public static class RowKinds
{
    /// <summary>True when a key whose newest row has this kind holds a value (+I, +U); false when it was retracted (-U, -D).</summary>
    public static bool IsLive(RowKind kind) => kind is RowKind.Insert or RowKind.UpdateAfter;

    public static bool IsLive(sbyte kind) => kind is (sbyte)RowKind.Insert or (sbyte)RowKind.UpdateAfter;

    /// <summary>Flink's short string for the kind: +I, -U, +U, -D.</summary>
    public static string ToShortString(this RowKind kind) => kind switch
    {
        RowKind.Insert => "+I",
        RowKind.UpdateBefore => "-U",
        RowKind.UpdateAfter => "+U",
        RowKind.Delete => "-D",
        _ => "?",
    };
}
