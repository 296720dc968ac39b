namespace Tarn.Server.PgWire;

/// <summary>
/// The extended query protocol: Parse, Bind, Describe, Execute, Close (Sync and Flush are in the dispatcher). After an
/// error every message up to the next Sync is skipped, as PostgreSQL does.
/// </summary>
internal sealed partial class PgConnection
{
    /// <summary>The text of the statement being described or executed, to place an error's position.</summary>
    private string _extendedSql = "";

    private async ValueTask ExtendedAsync(byte type, ReadOnlyMemory<byte> body, CancellationToken cancellation)
    {
        _extendedSql = "";
        try
        {
            switch ((char)type)
            {
                case 'P': Parse(body.Span); break;
                case 'B': Bind(body.Span); break;
                case 'D': await DescribeAsync(body, cancellation); break;
                case 'E': await ExecuteAsync(body, cancellation); break;
                case 'C': Close(body.Span); break;
            }
        }
        catch (Exception e) when (e is TarnException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            WriteError(e, _extendedSql, 0);
            _skipUntilSync = true;
        }
    }

    private void Parse(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        var name = reader.ReadCString();
        var sql = reader.ReadCString();
        int count = reader.ReadInt16();
        if (count < 0) throw new PgProtocolException("negative parameter count");
        var oids = new int[Math.Max(count, Math.Min(PgLimits.MaxParameters, PgStatementText.MaxParameterIndex(sql)))];
        for (var i = 0; i < count; i++) oids[i] = reader.ReadInt32();
        _statements[name] = new PgPreparedStatement(sql, oids);
        PgBackendMessages.ParseComplete(_writer);
    }

    private void Bind(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        var portalName = reader.ReadCString();
        var statementName = reader.ReadCString();
        var statement = _statements.GetValueOrDefault(statementName)
            ?? throw new TarnException(PgSqlStates.InvalidSqlStatementName, $"prepared statement \"{statementName}\" does not exist");
        var formats = ReadInt16s(ref reader);
        int count = reader.ReadInt16();
        if (count < 0) throw new PgProtocolException("negative parameter count");
        if (count != statement.ParameterOids.Length)
            throw new TarnException(PgSqlStates.ProtocolViolation, $"bind message supplies {count} parameters, but prepared statement \"{statementName}\" requires {statement.ParameterOids.Length}");
        if (formats.Length > 1 && formats.Length != count) throw new PgProtocolException("parameter format count does not match the parameter count");
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadInt32();
            if (length == -1) continue;
            var bytes = reader.ReadBytes(length);
            var binary = formats.Length != 0 && formats[formats.Length == 1 ? 0 : i] == 1;
            values[i] = PgParameterDecoder.Decode(bytes, statement.ParameterOids[i], binary);
        }
        var resultFormats = ReadInt16s(ref reader);
        _portals[portalName] = new PgPortal(statement, values, resultFormats);
        PgBackendMessages.BindComplete(_writer);
    }

    private static short[] ReadInt16s(ref PgBodyReader reader)
    {
        int count = reader.ReadInt16();
        if (count < 0 || count * 2 > reader.Remaining) throw new PgProtocolException("invalid format code count");
        var values = new short[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadInt16();
            if (values[i] is not (0 or 1)) throw new PgProtocolException($"invalid format code {values[i]}");
        }
        return values;
    }

    private async ValueTask<string> DescribeAsync(ReadOnlyMemory<byte> body, CancellationToken cancellation)
    {
        var (kind, name) = ReadKindAndName(body.Span);
        if (kind == 'S')
        {
            var statement = _statements.GetValueOrDefault(name)
                ?? throw new TarnException(PgSqlStates.InvalidSqlStatementName, $"prepared statement \"{name}\" does not exist");
            _extendedSql = statement.Sql;
            await DescribeStatementAsync(statement, cancellation);
            return statement.Sql;
        }
        var portal = _portals.GetValueOrDefault(name) ?? throw new TarnException(PgSqlStates.InvalidCursorName, $"portal \"{name}\" does not exist");
        _extendedSql = portal.Statement.Sql;
        if (portal.Outcome is null && PgCopyStatement.IsCopy(portal.Statement.Sql)) { PgBackendMessages.NoData(_writer); return portal.Statement.Sql; } // COPY runs at Execute
        await DescribePortalAsync(portal, cancellation);
        return portal.Statement.Sql;
    }

    private async ValueTask<string> ExecuteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellation)
    {
        var (name, maxRows) = ReadExecute(body.Span);
        var portal = _portals.GetValueOrDefault(name) ?? throw new TarnException(PgSqlStates.InvalidCursorName, $"portal \"{name}\" does not exist");
        _extendedSql = portal.Statement.Sql;
        portal.Outcome ??= await ExecuteStatementAsync(portal.Statement.Sql, portal.Parameters, cancellation);
        var outcome = portal.Outcome;
        if (outcome.IsEmpty)
        {
            PgBackendMessages.EmptyQueryResponse(_writer);
            return portal.Statement.Sql;
        }
        if (outcome.Result is { HasRows: true } result)
        {
            if (portal.RowsSent == 0 && !portal.Described) PgCachedPlanChangedException.ThrowIfChanged(portal.Statement, result.Columns);
            if (portal.ResultFormats.Length > 1 && portal.ResultFormats.Length != result.Columns.Count)
                throw new PgProtocolException("result format count does not match the column count");
            portal.RowsSent += await WriteRowsAsync(result, portal, portal.RowsSent, maxRows, cancellation);
            if (portal.RowsSent < result.RowCount)
            {
                _writer.Begin((byte)'s'); // PortalSuspended: the client asked for at most maxRows
                _writer.End();
                return portal.Statement.Sql;
            }
        }
        PgBackendMessages.CommandComplete(_writer, outcome.Tag);
        return portal.Statement.Sql;
    }

    private static (string Name, int MaxRows) ReadExecute(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        var name = reader.ReadCString();
        return (name, Math.Max(0, reader.ReadInt32()));
    }

    private void Close(ReadOnlySpan<byte> body)
    {
        var (kind, name) = ReadKindAndName(body);
        if (kind == 'S') _statements.Remove(name);
        else _portals.Remove(name);
        PgBackendMessages.CloseComplete(_writer);
    }

    private static (char Kind, string Name) ReadKindAndName(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        var kind = (char)reader.ReadByte();
        if (kind is not ('S' or 'P')) throw new PgProtocolException($"invalid Describe/Close target '{kind}'");
        return (kind, reader.ReadCString());
    }
}
