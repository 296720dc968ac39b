namespace Tarn.Server.PgWire;

/// <summary>
/// Describe without executing: a row-returning statement is bound and planned by <see cref="TarnSession.Describe"/>
/// for its columns (nothing runs, so describing an INSERT inserts nothing and describing a big query costs only its
/// planning); other statements answer NoData. Parameters the client left untyped (OID 0) take the type the binder
/// infers (the column they are compared with or inserted into), which the statement then keeps for Bind.
/// </summary>
internal sealed partial class PgConnection
{
    private async ValueTask DescribeStatementAsync(PgPreparedStatement statement, CancellationToken cancellation)
    {
        var placeholders = new object?[statement.ParameterOids.Length];
        for (var i = 0; i < placeholders.Length; i++) placeholders[i] = PgParameterDecoder.Placeholder(statement.ParameterOids[i]);
        var described = await DescribeColumnsAsync(statement.Sql, placeholders, inferParameters: true, cancellation);
        if (described.ParameterTypes is { } types)
        {
            for (var i = 0; i < statement.ParameterOids.Length && i < types.Count; i++)
                if (statement.ParameterOids[i] == 0 && types[i] is { } type) statement.ParameterOids[i] = PgTypeOids.For(type);
        }
        PgBackendMessages.ParameterDescription(_writer, statement.ParameterOids);
        statement.DescribedColumns = described.Columns is { Count: > 0 } ? described.Columns : null;
        if (described.Columns is { Count: > 0 } columns) PgBackendMessages.RowDescription(_writer, columns, null);
        else PgBackendMessages.NoData(_writer);
    }

    private async ValueTask DescribePortalAsync(PgPortal portal, CancellationToken cancellation)
    {
        portal.Described = true;
        var columns = portal.Outcome is { } outcome
            ? (outcome.Result is { HasRows: true } r ? r.Columns : null)
            : (await DescribeColumnsAsync(portal.Statement.Sql, portal.Parameters, inferParameters: false, cancellation)).Columns;
        if (columns is not { Count: > 0 })
        {
            PgBackendMessages.NoData(_writer);
            return;
        }
        if (portal.ResultFormats.Length > 1 && portal.ResultFormats.Length != columns.Count)
            throw new PgProtocolException("result format count does not match the column count");
        var formats = new short[columns.Count];
        for (var i = 0; i < formats.Length; i++) formats[i] = portal.FormatOf(i);
        PgBackendMessages.RowDescription(_writer, columns, formats);
    }

    /// <summary>
    /// The columns <paramref name="sql"/> will answer with (null: no rows) and, when asked, its parameters' types. A
    /// row-returning statement the engine cannot describe (one answered by the endpoint itself) is run to learn them, as
    /// before describe-only existed.
    /// </summary>
    private async Task<(IReadOnlyList<TarnColumn>? Columns, IReadOnlyList<Types.DataType?>? ParameterTypes)> DescribeColumnsAsync(
        string sql, object?[] parameters, bool inferParameters, CancellationToken cancellation)
    {
        if (TryDescribeCursorStatement(sql, out var cursorColumns)) return (cursorColumns, null);
        if (!PgStatementText.ReturnsRows(sql))
        {
            if (!inferParameters || PgCursorText.FirstWord(sql) is not ("INSERT" or "UPDATE" or "DELETE")) return (null, null);
            try
            {
                return (null, (await _session.DescribeAsync(sql, new TarnParameters(parameters, null), cancellation)).ParameterTypes);
            }
            catch (TarnException)
            {
                return (null, null); // the error comes at Execute, with its position
            }
        }
        try
        {
            var description = await _session.DescribeAsync(sql, new TarnParameters(parameters, null), cancellation);
            return (description.ReturnsRows ? description.Columns : null, description.ParameterTypes);
        }
        catch (TarnException) when (inferParameters && parameters.Length > 0)
        {
            // A placeholder of the declared type may not fit where it is used ('' compared with an INT column): NULLs fit anywhere.
            try
            {
                var description = await _session.DescribeAsync(sql, new TarnParameters(new object?[parameters.Length], null), cancellation);
                return (description.ReturnsRows ? description.Columns : null, description.ParameterTypes);
            }
            catch (TarnException)
            {
                var outcome = await ExecuteStatementAsync(sql, parameters, cancellation);
                return (outcome.Result is { HasRows: true } r ? r.Columns : null, null);
            }
        }
        catch (TarnException)
        {
            var outcome = await ExecuteStatementAsync(sql, parameters, cancellation);
            return (outcome.Result is { HasRows: true } r ? r.Columns : null, null);
        }
    }
}
