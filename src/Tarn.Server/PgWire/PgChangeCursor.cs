using System.Threading.Channels;
using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>
/// A cursor following a query's changelog (DECLARE c CURSOR FOR SUBSCRIBE ...): a pump enumerates the
/// <see cref="TarnSubscription"/> in the background into a bounded buffer (so a client that stops fetching stops the
/// query instead of growing memory), and each FETCH takes rows from it with an <c>op</c> column (+I, -U, +U, -D) first
/// (with PROGRESS, Materialize's <c>mz_timestamp</c> and <c>mz_progressed</c> before it: <see cref="PgChangelogLayout"/>).
/// </summary>
internal sealed class PgChangeCursor : PgCursor
{
    /// <summary>Batches buffered between FETCHes before the pump waits for the client.</summary>
    private const int BufferedBatches = 64;

    /// <summary>How often a FETCH that waits checks whether its client is still there.</summary>
    private static readonly TimeSpan PeerCheck = TimeSpan.FromMilliseconds(250);

    private readonly Channel<TarnChangeBatch> _changes = Channel.CreateBounded<TarnChangeBatch>(
        new BoundedChannelOptions(BufferedBatches) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private TarnChangeBatch? _current;
    private int _offset;

    private readonly PgChangelogLayout _layout;

    public PgChangeCursor(TarnSubscription subscription, bool progress = false)
    {
        _layout = new PgChangelogLayout(subscription.Columns, progress);
        _pump = PumpAsync(subscription);
    }

    public override IReadOnlyList<TarnColumn> Columns => _layout.Columns;

    private async Task PumpAsync(TarnSubscription subscription)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            await foreach (var batch in subscription.WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                if (batch.RowCount > 0 || batch.IsProgress) await _changes.Writer.WriteAsync(batch, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // the query's error is handed to the next FETCH, never thrown on a pool thread
        catch (Exception e)
        {
            error = e;
        }
#pragma warning restore CA1031
        _changes.Writer.TryComplete(error);
    }

    public override async Task<TarnResult> FetchAsync(int count, TimeSpan? timeout, Func<bool> peerGone, CancellationToken cancellation)
    {
        var batches = new List<ColumnBatch>();
        var taken = Take(count, batches);
        if (taken == 0 && timeout != TimeSpan.Zero && !_changes.Reader.Completion.IsCompleted)
        {
            var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
            while (taken == 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) break;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                wait.CancelAfter(left < PeerCheck ? left : PeerCheck);
                try
                {
                    if (!await _changes.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break; // the query ended
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    if (peerGone()) throw new IOException("the client went away while FETCH waited");
                    continue;
                }
                taken = Take(count, batches);
            }
        }
        if (taken == 0 && _changes.Reader.Completion is { IsFaulted: true } failed) await failed.ConfigureAwait(false); // the query's error
        return new TarnResult(StatementKind.Query, Columns, batches);
    }

    /// <summary>Moves up to <paramref name="count"/> (0 = all) ready rows into <paramref name="batches"/>, in the cursor's layout.</summary>
    private int Take(int count, List<ColumnBatch> batches)
    {
        var taken = 0;
        while (count == 0 || taken < count)
        {
            if (_current is null)
            {
                if (!_changes.Reader.TryRead(out var next)) break;
                _current = next;
                _offset = 0;
            }
            var rows = PgChangelogLayout.RowCount(_current);
            var n = rows - _offset;
            if (count > 0) n = Math.Min(n, count - taken);
            batches.Add(_layout.Rows(_current, _offset, n));
            taken += n;
            _offset += n;
            if (_offset >= rows) _current = null;
        }
        return taken;
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false); // the subscription deletes its temporary state before it ends
        _stop.Dispose();
    }
}
