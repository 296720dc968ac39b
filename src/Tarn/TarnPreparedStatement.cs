using Tarn.Internal;
using Tarn.Sql;

namespace Tarn;

/// <summary>
/// One statement to run many times with different positional parameter values (<c>?</c>, <c>$1</c>), made by
/// <see cref="TarnSession.Prepare"/>. The text is parsed once here, so syntax errors surface at once; the plan is made
/// on the first execution and reused (through the database's plan cache) while the catalog and the scanned tables'
/// versions stay the same and the values keep their types. Executing it is the same as
/// <see cref="TarnSession.ExecuteAsync(string, object?[])"/> with the same text.
/// </summary>
public sealed class TarnPreparedStatement
{
    private readonly TarnSession _session;

    internal TarnPreparedStatement(TarnSession session, string sql)
    {
        var statements = SqlParser.ParseScript(sql);
        if (statements.Count != 1)
            throw new TarnException(SqlStates.SyntaxError, statements.Count == 0 ? "no statement to prepare" : $"a prepared statement is one statement, not {statements.Count}");
        _session = session;
        Sql = sql;
    }

    public string Sql { get; }

    /// <summary>Runs the statement with these values for its parameters, in order.</summary>
    public Task<TarnResult> ExecuteAsync(params object?[] parameters) =>
        StatementRunner.ExecuteSingleAsync(_session, Sql, new TarnParameters(parameters, null), CancellationToken.None);

    /// <summary>Runs the statement with these values for its parameters, in order.</summary>
    public Task<TarnResult> ExecuteAsync(IReadOnlyList<object?> parameters, CancellationToken cancellation) =>
        StatementRunner.ExecuteSingleAsync(_session, Sql, new TarnParameters(parameters, null), cancellation);
}
