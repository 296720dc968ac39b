namespace Tarn.Execution.Vectors;

/// <summary>
/// Selection vectors: ascending row indexes of a batch. <see cref="All"/> is the identity selection
/// (shared, read-only) used when every row is a candidate.
/// </summary>
public static class Selection
{
    private static int[] s_identity = CreateIdentity(65536);

    private static int[] CreateIdentity(int n)
    {
        var a = new int[n];
        for (var i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /// <summary>The rows 0 .. count-1.</summary>
    public static ReadOnlySpan<int> All(int count)
    {
        var id = s_identity;
        if (id.Length < count)
        {
            id = CreateIdentity(Math.Max(count, id.Length * 2));
            s_identity = id;
        }
        return new ReadOnlySpan<int>(id, 0, count);
    }

    /// <summary>Rows of <paramref name="candidates"/> not in <paramref name="remove"/> (both ascending); returns the count written.</summary>
    public static int Except(ReadOnlySpan<int> candidates, ReadOnlySpan<int> remove, Span<int> result)
    {
        int n = 0, j = 0;
        foreach (var row in candidates)
        {
            while (j < remove.Length && remove[j] < row) j++;
            if (j < remove.Length && remove[j] == row) continue;
            result[n++] = row;
        }
        return n;
    }

    /// <summary>Merges two disjoint ascending selections; returns the count written.</summary>
    public static int Union(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length) result[n++] = a[i] <= b[j] ? a[i++] : b[j++];
        while (i < a.Length) result[n++] = a[i++];
        while (j < b.Length) result[n++] = b[j++];
        return n;
    }

    /// <summary>Rows in [0, count) whose null flag is clear, from <paramref name="candidates"/>.</summary>
    public static int NotNull(ReadOnlySpan<int> candidates, byte[]? nulls, Span<int> result)
    {
        if (nulls is null)
        {
            candidates.CopyTo(result);
            return candidates.Length;
        }
        var n = 0;
        foreach (var row in candidates)
        {
            result[n] = row;
            n += nulls[row] == 0 ? 1 : 0;
        }
        return n;
    }
}
