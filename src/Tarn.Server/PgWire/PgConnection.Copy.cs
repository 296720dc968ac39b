using System.Globalization;

namespace Tarn.Server.PgWire;

/// <summary>
/// COPY over the wire: <c>COPY t [(cols)] FROM STDIN</c> streams CopyData into one all-or-nothing bulk load, and
/// <c>COPY t|(query) TO STDOUT</c> streams a result as CopyData. Both run in the simple and the extended protocol.
/// </summary>
internal sealed partial class PgConnection
{
    private async Task<PgStatementOutcome> CopyAsync(string sql, CancellationToken statement)
    {
        var command = PgCopyStatement.Parse(sql);
        return command.IsFrom ? await CopyFromStdinAsync(command, statement) : await CopyToStdoutAsync(command, statement);
    }

    /// <summary>
    /// CopyInResponse, then CopyData until CopyDone (commit, "COPY n") or CopyFail (57014). A bad row fails the whole
    /// COPY at once; the client's remaining CopyData/CopyDone are then dropped by the dispatcher, as PostgreSQL does.
    /// </summary>
    private async Task<PgStatementOutcome> CopyFromStdinAsync(PgCopyCommand command, CancellationToken statement)
    {
        using var load = _session.BeginBulkLoad(command.TablePath);
        var target = new PgCopyTarget(load, command.TableName[^1], command.Columns);
        var decoder = PgCopyDecoder.Create(command, target, MaxMessageBytes);
        PgCopyMessages.CopyResponse(_writer, (byte)'G', command.Format == PgCopyFormat.Binary, target.Columns.Length);
        await _writer.FlushAsync(_stream, ConnectionCancellation);
        try
        {
            return await CopyRowsInAsync(load, target, decoder, statement);
        }
        finally
        {
            target.WaitQuietly(); // no batch may still be writing when the load is committed or abandoned
        }
    }

    private async Task<PgStatementOutcome> CopyRowsInAsync(TarnBulkLoad load, PgCopyTarget target, PgCopyDecoder decoder, CancellationToken statement)
    {
        while (true)
        {
            // Reads use the connection's token: a cancel must not abort a socket read half-way through a frame.
            var frame = await _reader.ReadAsync(MaxMessageBytes, ConnectionCancellation)
                ?? throw new IOException("the client closed the connection during COPY FROM STDIN");
            statement.ThrowIfCancellationRequested();
            var (type, body) = frame;
            switch ((char)type)
            {
                case 'd':
                    decoder.Feed(body.Span);
                    break;
                case 'c':
                    decoder.Finish();
                    await target.CompleteAsync();
                    var rows = await load.CommitAsync(statement);
                    return new(null, "COPY " + rows.ToString(CultureInfo.InvariantCulture));
                case 'f':
                    throw new TarnException(SqlStates.QueryCanceled, "COPY from stdin failed: " + new PgBodyReader(body.Span).ReadCString());
                case 'H' or 'S':
                    break; // Flush and Sync mean nothing during COPY IN
                default:
                    throw new TarnException(PgSqlStates.ProtocolViolation, $"unexpected message type 0x{type:X2} during COPY from stdin");
            }
        }
    }

    /// <summary>CopyOutResponse, one CopyData per row (flushed in large writes), CopyDone; the tag counts the rows.</summary>
    private async Task<PgStatementOutcome> CopyToStdoutAsync(PgCopyCommand command, CancellationToken statement)
    {
        var sql = command.Query ?? "SELECT " + (command.Columns is { } names ? string.Join(", ", names.Select(Quote)) : "*")
            + " FROM " + string.Join('.', command.TableName.Select(Quote));
        var result = await _session.ExecuteAsync(sql, new TarnParameters([], null), statement);
        if (!result.HasRows) throw new TarnException(SqlStates.FeatureNotSupported, "COPY (query) TO needs a query that returns rows");
        var encoder = new PgCopyEncoder(command, result.Columns);
        PgCopyMessages.CopyResponse(_writer, (byte)'H', command.Format == PgCopyFormat.Binary, encoder.ColumnCount);
        encoder.WriteHeader(_writer, result.Columns);
        long rows = 0;
        foreach (var batch in result.Batches)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                encoder.WriteRow(_writer, batch, r);
                rows++;
                if (_writer.Length > 256 * 1024)
                {
                    statement.ThrowIfCancellationRequested();
                    await _writer.FlushAsync(_stream, ConnectionCancellation);
                }
            }
        }
        encoder.WriteTrailer(_writer);
        PgCopyMessages.CopyDone(_writer);
        return new(null, "COPY " + rows.ToString(CultureInfo.InvariantCulture));
    }

    private static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
}
