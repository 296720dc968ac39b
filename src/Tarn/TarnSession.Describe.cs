using Tarn.Internal;

namespace Tarn;

public sealed partial class TarnSession
{
    /// <summary>
    /// Binds and plans one statement without running it (nothing is read or written): its result columns and the
    /// types its placeholders take. Placeholders without a value in <paramref name="parameters"/> bind as NULL.
    /// Errors (unknown table, type mismatch ...) are thrown as the statement's execution would throw them.
    /// </summary>
    public TarnStatementDescription Describe(string sql, TarnParameters parameters) => StatementRunner.Describe(this, sql, parameters);

    /// <summary>
    /// As <see cref="Describe(string, TarnParameters)"/>, off the caller's thread (binding a large query is CPU work); a
    /// query whose plan is cached already is answered at once.
    /// </summary>
    public Task<TarnStatementDescription> DescribeAsync(string sql, TarnParameters? parameters = null, CancellationToken cancellation = default)
    {
        if (!cancellation.IsCancellationRequested && StatementRunner.FindCachedDescription(this, sql, parameters ?? TarnParameters.None) is { } cached)
            return Task.FromResult(cached);
        return Task.Run(() => StatementRunner.Describe(this, sql, parameters ?? TarnParameters.None), cancellation);
    }
}
