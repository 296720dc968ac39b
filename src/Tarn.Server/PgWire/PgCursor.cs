using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>An open cursor of one connection (DECLARE ... CURSOR FOR): FETCH takes rows from it until CLOSE.</summary>
internal abstract class PgCursor : IAsyncDisposable
{
    /// <summary>The columns every FETCH answers with (for a changelog cursor, <c>op</c> first).</summary>
    public abstract IReadOnlyList<TarnColumn> Columns { get; }

    /// <summary>WITH HOLD: survives the end of the transaction it was declared in.</summary>
    public bool Hold { get; init; }

    /// <summary>
    /// At most <paramref name="count"/> rows (0 = all that are ready); a changelog cursor waits up to
    /// <paramref name="timeout"/> (null = until there is one) for the first row, then takes only what is ready.
    /// </summary>
    public abstract Task<TarnResult> FetchAsync(int count, TimeSpan? timeout, Func<bool> peerGone, CancellationToken cancellation);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A cursor over an ordinary query: its result is computed at DECLARE and handed out in FETCH-sized pieces.</summary>
internal sealed class PgResultCursor(TarnResult result) : PgCursor
{
    private int _batch;
    private int _offset;

    public override IReadOnlyList<TarnColumn> Columns => result.Columns;

    public override Task<TarnResult> FetchAsync(int count, TimeSpan? timeout, Func<bool> peerGone, CancellationToken cancellation)
    {
        var batches = new List<ColumnBatch>();
        var taken = 0;
        while (_batch < result.Batches.Count && (count == 0 || taken < count))
        {
            var batch = result.Batches[_batch];
            var n = batch.RowCount - _offset;
            if (count > 0) n = Math.Min(n, count - taken);
            if (n > 0) batches.Add(_offset == 0 && n == batch.RowCount ? batch : batch.Slice(_offset, n));
            taken += n;
            _offset += n;
            if (_offset >= batch.RowCount) { _batch++; _offset = 0; }
        }
        return Task.FromResult(new TarnResult(StatementKind.Query, result.Columns, batches));
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
