namespace Tarn;

/// <summary>The kind of one change of a streaming result (Flink's RowKind): what it does to the result's rows.</summary>
public enum TarnRowKind
{
    /// <summary>+I: a row was added.</summary>
    Insert = 0,

    /// <summary>-U: the old version of an updated row is removed (a <see cref="UpdateAfter"/> follows).</summary>
    UpdateBefore = 1,

    /// <summary>+U: the new version of an updated row is added.</summary>
    UpdateAfter = 2,

    /// <summary>-D: a row was removed.</summary>
    Delete = 3,
}

public static class TarnRowKinds
{
    /// <summary>Flink's short string for the kind: +I, -U, +U, -D.</summary>
    public static string ToShortString(this TarnRowKind kind) => kind switch
    {
        TarnRowKind.Insert => "+I",
        TarnRowKind.UpdateBefore => "-U",
        TarnRowKind.UpdateAfter => "+U",
        TarnRowKind.Delete => "-D",
        _ => "?",
    };

    /// <summary>True when the change adds its row to the result (+I, +U); false when it removes it (-U, -D).</summary>
    public static bool Adds(this TarnRowKind kind) => kind is TarnRowKind.Insert or TarnRowKind.UpdateAfter;
}
