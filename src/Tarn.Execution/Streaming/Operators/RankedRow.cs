namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// One row of a ranking (Top-N, window Top-N): its order-preserving sort key and its encoded values. Equal rows share
/// an entry with a count, so duplicates need no tie-breaking of their own.
/// </summary>
internal sealed class RankedRow(byte[] sort, byte[] row, int count)
{
    public byte[] Sort { get; } = sort;
    public byte[] Row { get; } = row;
    public int Count { get; set; } = count;
}

/// <summary>Ranking order: by sort key, then by the row's bytes so equal sort keys still have one stable order.</summary>
internal sealed class RankedRowOrder : IComparer<RankedRow>
{
    public static readonly RankedRowOrder Instance = new();

    public int Compare(RankedRow? x, RankedRow? y)
    {
        var c = x!.Sort.AsSpan().SequenceCompareTo(y!.Sort);
        return c != 0 ? c : x.Row.AsSpan().SequenceCompareTo(y.Row);
    }
}
