using Tarn.Sql;

namespace Tarn.Server.PgWire;

/// <summary>The simple query protocol ('Q'): one or more statements, each answered in turn, then one ReadyForQuery.</summary>
internal sealed partial class PgConnection
{
    private async ValueTask SimpleQueryAsync(ReadOnlyMemory<byte> body, CancellationToken cancellation)
    {
        var sql = ReadQueryText(body.Span);
        IReadOnlyList<SqlScriptSegment> segments;
        try
        {
            segments = SqlScript.Split(sql);
        }
        catch (TarnException) when (Catalog.PgCatalogScript.TrySplit(sql) is { } catalogSegments)
        {
            segments = catalogSegments; // psql's and Npgsql's catalog queries use PostgreSQL-only operators
        }
        catch (TarnException e)
        {
            WriteError(e, sql, 0);
            await EndSimpleQueryAsync(cancellation);
            return;
        }
        if (segments.Count == 0) PgBackendMessages.EmptyQueryResponse(_writer);
        foreach (var segment in segments)
        {
            var offset = PgStatementText.OffsetOf(sql, segment.Position);
            try
            {
                if (PgCursorText.IsSubscribe(segment.Text))
                {
                    if (await SubscribeCopyAsync(segment.Text, cancellation)) continue;
                    break;
                }
                var outcome = await ExecuteStatementAsync(segment.Text, [], cancellation);
                if (outcome.Result is { HasRows: true } result)
                {
                    PgBackendMessages.RowDescription(_writer, result.Columns, null);
                    await WriteRowsAsync(result, null, 0, 0, cancellation);
                }
                else if (outcome.VoidFunction is { } function)
                {
                    PgBackendMessages.VoidRow(_writer, function);
                }
                PgBackendMessages.CommandComplete(_writer, outcome.Tag);
            }
            catch (Exception e) when (e is TarnException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
            {
                WriteError(e, segment.Text, offset);
                break;
            }
        }
        await EndSimpleQueryAsync(cancellation);
    }

    private async ValueTask EndSimpleQueryAsync(CancellationToken cancellation)
    {
        WriteReadyForQuery();
        await _writer.FlushAsync(_stream, cancellation);
    }

    private static string ReadQueryText(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        return reader.ReadCString();
    }
}
