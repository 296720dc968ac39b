using System.Globalization;
using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// <c>SUBSCRIBE [TO] (query) | SUBSCRIBE [TO] name</c> over the simple query protocol, as Materialize answers it: a
/// CopyOutResponse, then one CopyData text row per change (tab-separated, <c>\N</c> for NULL) whose first column is
/// <c>op</c> (+I, -U, +U, -D) followed by the query's columns, until the client cancels (CancelRequest: ErrorResponse
/// 57014) or goes away. <c>WITH (SNAPSHOT = false)</c> skips the result as it stands; <c>WITH (PROGRESS)</c> adds
/// Materialize's <c>mz_timestamp</c> and <c>mz_progressed</c> columns and progress rows (<see cref="PgChangelogLayout"/>). A query over bounded sources only (VALUES) ends with CopyDone and <c>SUBSCRIBE n</c>.
/// </summary>
internal sealed partial class PgConnection
{
    /// <summary>How often a SUBSCRIBE with nothing to send checks whether its client is still there.</summary>
    private static readonly TimeSpan SubscribePeerCheck = TimeSpan.FromMilliseconds(250);

    /// <summary>Streams the changes; false when the statement ended in an error (already written), so the rest of the query string is skipped.</summary>
    private async ValueTask<bool> SubscribeCopyAsync(string sql, CancellationToken cancellation)
    {
        var (query, options) = PgCursorText.ParseSubscribe(sql);
        if (_failedTransaction)
            throw new TarnException(SqlStates.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
        var stop = BeginChangelogWait(cancellation);
        try
        {
            var subscription = _session.SubscribeAsync(query, options, stop.Token); // binding errors are thrown here, before any COPY message
            var layout = new PgChangelogLayout(subscription.Columns, options.Progress);
            var columns = layout.Columns;
            var oids = new int[columns.Count];
            for (var c = 0; c < oids.Length; c++) oids[c] = PgTypeOids.For(columns[c].Type);
            _writer.Begin((byte)'H'); // CopyOutResponse: text format, op (after mz_timestamp, mz_progressed with PROGRESS) + the query's columns, all text
            _writer.WriteByte(0);
            _writer.WriteInt16((short)oids.Length);
            for (var c = 0; c < oids.Length; c++) _writer.WriteInt16(0);
            _writer.End();
            await _writer.FlushAsync(_stream, cancellation);

            var peerGone = false;
            using var watchStop = new CancellationTokenSource();
            var watch = WatchPeerAsync(stop, () => peerGone = true, watchStop.Token);
            long rows = 0;
            var line = new StringBuilder();
            try
            {
                await foreach (var batch in subscription.WithCancellation(stop.Token))
                {
                    var count = PgChangelogLayout.RowCount(batch);
                    if (count == 0) continue;
                    var sent = layout.Rows(batch, 0, count);
                    for (var r = 0; r < count; r++)
                    {
                        line.Clear();
                        for (var c = 0; c < oids.Length; c++)
                        {
                            if (c > 0) line.Append('\t');
                            var value = sent.Columns[c].GetValue(r);
                            if (value is null) line.Append("\\N");
                            else AppendCopyText(line, PgValueEncoder.FormatText(oids[c], value));
                        }
                        line.Append('\n');
                        _writer.Begin((byte)'d');
                        _writer.WriteText(line.ToString());
                        _writer.End();
                        rows++;
                        if (_writer.Length > 256 * 1024) await _writer.FlushAsync(_stream, cancellation);
                    }
                    await _writer.FlushAsync(_stream, cancellation);
                }
            }
            catch (TarnException e)
            {
                WriteError(e, query, 0); // ends the COPY: the client goes back to normal processing
                return false;
            }
            finally
            {
                await watchStop.CancelAsync();
                await watch;
            }
            cancellation.ThrowIfCancellationRequested(); // the server is stopping: nothing more to say
            if (peerGone) throw new IOException("the client went away during SUBSCRIBE");
            if (stop.IsCancellationRequested)
            {
                WriteError(new TarnException(SqlStates.QueryCanceled, "canceling statement due to user request"), query, 0);
                return false;
            }
            _writer.Begin((byte)'c'); // CopyDone: every source was bounded and ended
            _writer.End();
            PgBackendMessages.CommandComplete(_writer, "SUBSCRIBE " + rows.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        finally
        {
            EndChangelogWait(stop);
        }
    }

    /// <summary>Polls the socket while a SUBSCRIBE waits for changes; stops the subscription when the client has gone.</summary>
    private async Task WatchPeerAsync(CancellationTokenSource subscription, Action onGone, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(SubscribePeerCheck, stop);
                if (!PeerGone()) continue;
                onGone();
                await subscription.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>COPY text escaping: backslash, tab, newline and carriage return are written as backslash sequences.</summary>
    private static void AppendCopyText(StringBuilder line, string text)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\': line.Append("\\\\"); break;
                case '\t': line.Append("\\t"); break;
                case '\n': line.Append("\\n"); break;
                case '\r': line.Append("\\r"); break;
                default: line.Append(ch); break;
            }
        }
    }
}
