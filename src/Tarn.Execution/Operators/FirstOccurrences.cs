namespace Tarn.Execution.Operators;

/// <summary>
/// After a batch went through a hash set's FindOrInsert: the rows that added a new entry (each new id's first row, in
/// row order). DISTINCT and UNION-style recursive CTEs emit exactly those rows.
/// </summary>
internal static class FirstOccurrences
{
    /// <summary>Rows i &lt; <paramref name="n"/> whose id (<paramref name="ids"/>[i]) is one of the <paramref name="added"/> ids from <paramref name="before"/> on, first row per id.</summary>
    public static ReadOnlySpan<int> Rows(int[] ids, int n, int before, int added)
    {
        var fresh = new bool[added];
        var rows = new int[added];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var id = ids[i] - before;
            if (id < 0 || fresh[id]) continue;
            fresh[id] = true;
            rows[count++] = i;
        }
        return rows.AsSpan(0, count);
    }
}
