namespace Tarn.Execution.Window;

/// <summary>
/// Rows sorted by (partition keys, order keys), with the extent of each sorted position's partition and peer group
/// (rows equal in every ORDER BY key), as half-open ranges of sorted positions.
/// </summary>
public sealed class WindowPartitions
{
    public WindowPartitions(int[] order, bool[] partitionChanges, bool[] peerChanges)
    {
        Order = order;
        var n = order.Length;
        PartitionStart = new int[n];
        PartitionEnd = new int[n];
        PeerStart = new int[n];
        PeerEnd = new int[n];
        var ps = 0;
        var gs = 0;
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && partitionChanges[i]) ps = i;
            if (i > 0 && (partitionChanges[i] || peerChanges[i])) gs = i;
            PartitionStart[i] = ps;
            PeerStart[i] = gs;
        }
        var pe = n;
        var ge = n;
        for (var i = n - 1; i >= 0; i--)
        {
            PartitionEnd[i] = pe;
            PeerEnd[i] = ge;
            if (i > 0 && partitionChanges[i]) pe = i;
            if (i > 0 && (partitionChanges[i] || peerChanges[i])) ge = i;
        }
    }

    /// <summary>Sorted position → row number in the materialized input.</summary>
    public int[] Order { get; }

    public int Count => Order.Length;
    public int[] PartitionStart { get; }
    public int[] PartitionEnd { get; }
    public int[] PeerStart { get; }
    public int[] PeerEnd { get; }
}
