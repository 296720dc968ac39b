namespace Tarn.Server.PgWire;

/// <summary>
/// Running one statement: the transaction and session commands clients send on their own (BEGIN ... ISOLATION LEVEL,
/// DISCARD ALL, SET of PostgreSQL settings, Npgsql's reset string) are answered here; everything else goes to Tarn.
/// </summary>
internal sealed partial class PgConnection
{
    private async Task<PgStatementOutcome> ExecuteStatementCoreAsync(string sql, object?[] parameters, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(sql)) return PgStatementOutcome.Empty;
        var words = PgStatementText.LeadingWords(sql, 2);
        var first = words.Split(' ')[0];
        switch (first)
        {
            case "BEGIN" or "START":
                if (!_session.InTransaction) await _session.ExecuteAsync("BEGIN");
                return new(null, "BEGIN");
            case "COMMIT" or "END":
                return await FinishTransactionAsync(!_failedTransaction);
            case "ROLLBACK" or "ABORT":
                return await FinishTransactionAsync(commit: false);
        }
        if (_failedTransaction)
            throw new TarnException(SqlStates.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
        if (await TryCursorStatementAsync(sql, first, cancellation) is { } cursorOutcome) return cursorOutcome;
        switch (first)
        {
            case "DISCARD":
                if (words == "DISCARD ALL")
                {
                    if (_session.InTransaction) await _session.ExecuteAsync("ROLLBACK");
                    await CloseCursorsAsync(holdToo: true);
                    // Named statements and portals go; the unnamed ones may be the very portal running this DISCARD.
                    foreach (var key in _statements.Keys.ToArray()) if (key.Length > 0) _statements.Remove(key);
                    foreach (var key in _portals.Keys.ToArray()) if (key.Length > 0) _portals.Remove(key);
                }
                return new(null, words);
            case "SET" or "RESET":
                if (await TrySetStatementTimeoutAsync(sql)) return new(null, "SET");
                try
                {
                    var result = await _session.ExecuteAsync(sql, new TarnParameters(parameters, null), cancellation);
                    // Only a bare SET lists options; SET x = y answers with its tag alone, as PostgreSQL does.
                    return new(words == first && result.HasRows ? result : null, first);
                }
                catch (TarnException)
                {
                    return new(null, first); // a PostgreSQL session setting Tarn has no use for: accepted and ignored
                }
            case "CLOSE" when words == "CLOSE ALL":
                return new(null, "CLOSE CURSOR ALL");
            case "UNLISTEN":
                return new(null, "UNLISTEN");
        }
        if (sql.Contains("pg_advisory_unlock_all()", StringComparison.OrdinalIgnoreCase) && words == "SELECT PG_ADVISORY_UNLOCK_ALL()")
            return new(null, "SELECT 1") { VoidFunction = "pg_advisory_unlock_all" };
        if (await Catalog.PgCatalogQueries.TryExecuteAsync(_session, sql, parameters, SessionUser, cancellation) is { } catalogOutcome) return catalogOutcome;
        var tarnResult = await MeasuredAsync(sql, () => _session.ExecuteAsync(sql, new TarnParameters(parameters, null), cancellation));
        return new(tarnResult, PgCommandTag.For(sql, tarnResult));
    }

    private async Task<PgStatementOutcome> FinishTransactionAsync(bool commit)
    {
        var wasFailed = _failedTransaction;
        _failedTransaction = false;
        await CloseCursorsAsync(holdToo: false);
        if (_session.InTransaction) await _session.ExecuteAsync(commit ? "COMMIT" : "ROLLBACK");
        return new(null, commit || !wasFailed ? (commit ? "COMMIT" : "ROLLBACK") : "ROLLBACK");
    }

    /// <summary>An error inside BEGIN ... leaves the transaction failed until COMMIT/ROLLBACK, as in PostgreSQL.</summary>
    private void NoteError()
    {
        if (_session.InTransaction) _failedTransaction = true;
    }

    /// <summary>DataRows of <paramref name="result"/> from row <paramref name="from"/>, at most <paramref name="maxRows"/> (0 = all); returns rows sent.</summary>
    private async ValueTask<int> WriteRowsAsync(TarnResult result, PgPortal? formats, int from, int maxRows, CancellationToken cancellation)
    {
        var columns = result.Columns;
        var oids = new int[columns.Count];
        for (var c = 0; c < oids.Length; c++) oids[c] = PgTypeOids.For(columns[c].Type);
        var sent = 0;
        var row = 0;
        foreach (var batch in result.Batches)
        {
            if (row + batch.RowCount <= from) { row += batch.RowCount; continue; }
            for (var r = Math.Max(0, from - row); r < batch.RowCount; r++)
            {
                if (maxRows > 0 && sent == maxRows) return sent;
                _writer.Begin((byte)'D');
                _writer.WriteInt16((short)oids.Length);
                for (var c = 0; c < oids.Length; c++)
                {
                    var value = batch.Columns[c].GetValue(r);
                    if (value is null) { _writer.WriteInt32(-1); continue; }
                    var lengthAt = _writer.ReserveInt32();
                    if (formats is not null && formats.FormatOf(c) == 1) PgValueEncoder.WriteBinary(_writer, oids[c], value);
                    else PgValueEncoder.WriteText(_writer, oids[c], value);
                    _writer.PatchInt32(lengthAt, _writer.Position - lengthAt - 4);
                }
                _writer.End();
                sent++;
                if (_writer.Length > 256 * 1024) await _writer.FlushAsync(_stream, cancellation);
            }
            row += batch.RowCount;
        }
        return sent;
    }

    /// <summary>ErrorResponse for a statement error; <paramref name="statementOffset"/> places the position within the client's text.</summary>
    private void WriteError(Exception error, string statement, int statementOffset)
    {
        NoteError();
        if (error is TarnException te)
        {
            var position = te.Position is { } p ? statementOffset + PgStatementText.OffsetOf(statement, p) + 1 : 0;
            PgBackendMessages.ErrorResponse(_writer, "ERROR", te.SqlState, te.Message, position,
                te is PgCachedPlanChangedException ? PgCachedPlanChangedException.Routine : null);
        }
        else
        {
            PgBackendMessages.ErrorResponse(_writer, "ERROR", SqlStates.InternalError, error.Message);
        }
    }
}
