namespace Tarn.Execution.Streaming;

/// <summary>The change kinds a stream may carry (Flink's ChangelogMode), derived per node by the planner.</summary>
[Flags]
public enum ChangelogMode : byte
{
    None = 0,
    Insert = 1,
    UpdateBefore = 2,
    UpdateAfter = 4,
    Delete = 8,

    InsertOnly = Insert,
    /// <summary>Updates as -U/+U pairs plus deletes: what a group aggregate or a join emits.</summary>
    All = Insert | UpdateBefore | UpdateAfter | Delete,
    /// <summary>Keyed upserts and deletes without -U (a primary-key table read as a log may omit nothing, so it is All).</summary>
    Upsert = Insert | UpdateAfter | Delete,
}

public static class ChangelogModes
{
    public static bool IsInsertOnly(this ChangelogMode mode) => mode == ChangelogMode.Insert;

    /// <summary>Flink's EXPLAIN spelling: [I], [I,UB,UA,D], [I,UA,D].</summary>
    public static string ToExplainString(this ChangelogMode mode)
    {
        var parts = new List<string>(4);
        if ((mode & ChangelogMode.Insert) != 0) parts.Add("I");
        if ((mode & ChangelogMode.UpdateBefore) != 0) parts.Add("UB");
        if ((mode & ChangelogMode.UpdateAfter) != 0) parts.Add("UA");
        if ((mode & ChangelogMode.Delete) != 0) parts.Add("D");
        return "[" + string.Join(",", parts) + "]";
    }
}
