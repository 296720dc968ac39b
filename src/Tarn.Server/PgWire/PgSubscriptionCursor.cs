namespace Tarn.Server.PgWire;

/// <summary>
/// A RisingWave subscription cursor (<c>DECLARE c SUBSCRIPTION CURSOR FOR sub [SINCE ...|FULL]</c>): FETCH answers
/// with the table's columns, <c>op</c> and <c>rw_timestamp</c> (<see cref="TarnSubscriptionCursor"/>). As in RisingWave
/// a FETCH does not wait unless it has <c>WITH (timeout = ...)</c>, and the cursor lives until CLOSE or the end of
/// the session, in or out of transactions.
/// </summary>
internal sealed class PgSubscriptionCursor(TarnSubscriptionCursor cursor) : PgCursor
{
    /// <summary>How often a FETCH that waits checks whether its client is still there.</summary>
    private static readonly TimeSpan PeerCheck = TimeSpan.FromMilliseconds(250);

    public override IReadOnlyList<TarnColumn> Columns => cursor.Columns;

    public override async Task<TarnResult> FetchAsync(int count, TimeSpan? timeout, Func<bool> peerGone, CancellationToken cancellation)
    {
        var wait = timeout ?? TimeSpan.Zero;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var slice = left < PeerCheck ? left : PeerCheck;
            var result = await cursor.FetchAsync(count, slice > TimeSpan.Zero ? slice : TimeSpan.Zero, cancellation).ConfigureAwait(false);
            if (result.RowCount > 0 || DateTime.UtcNow >= deadline) return result;
            if (peerGone()) throw new IOException("the client went away while FETCH waited");
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
