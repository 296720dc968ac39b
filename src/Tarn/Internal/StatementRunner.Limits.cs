using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// Per-statement resource limits: the query memory limit, where operators spill, and the statement timeout, with
/// cancellation and timeouts reported as 57014.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>Runs one statement under the session's statement timeout; a canceled statement raises 57014.</summary>
    private static async Task<TarnResult> ExecuteGuardedAsync(TarnSession session, Statement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        AuthorizeStatement(session, statement);
        var timeout = QueryTimeout(session);
        using var timer = timeout > TimeSpan.Zero ? new CancellationTokenSource(timeout) : null;
        using var linked = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellation, timer.Token);
        var token = linked?.Token ?? cancellation;
        try
        {
            return await ExecuteInTransactionAsync(session, statement, parameters, token).ConfigureAwait(false);
        }
        catch (Exception e) when (token.IsCancellationRequested && (e is OperationCanceledException || e is TarnException { SqlState: SqlStates.QueryCanceled }))
        {
            throw Canceled(timer is not null && timer.IsCancellationRequested && !cancellation.IsCancellationRequested, e);
        }
    }

    internal static TarnException Canceled(bool timedOut, Exception? inner = null) => new(SqlStates.QueryCanceled,
        timedOut ? "canceling statement due to statement timeout" : "canceling statement due to user request", inner);

    /// <summary>The statement timeout: <c>SET 'query.timeout'</c>, else <see cref="TarnOptions.QueryTimeout"/>; zero = none.</summary>
    internal static TimeSpan QueryTimeout(TarnSession session)
    {
        var text = session.GetOption("query.timeout");
        if (text is not null && SettingValues.TryParseDuration(text, out var timeout)) return timeout;
        return session.Core.Options.QueryTimeout;
    }

    /// <summary>
    /// The query memory limit: <c>SET 'query.memory-limit'</c> (a size such as '256mb'), the older
    /// <c>'query.memory-limit-mb'</c>, else <see cref="TarnOptions.QueryMemoryLimitBytes"/>.
    /// </summary>
    internal static long QueryMemoryLimit(TarnSession session)
    {
        if (session.GetOption("query.memory-limit") is { } size && SettingValues.TryParseMemorySize(size, out var bytes) && bytes > 0) return bytes;
        if (session.GetOption("query.memory-limit-mb") is { } mbText && long.TryParse(mbText, out var mb) && mb > 0) return mb << 20;
        return session.Core.Options.QueryMemoryLimitBytes;
    }

    /// <summary>The spill directory (<c>&lt;database&gt;/tmp</c>) unless <c>SET 'query.spill-enabled' = 'false'</c>.</summary>
    internal static string? SpillDirectory(TarnSession session) =>
        string.Equals(session.GetOption("query.spill-enabled"), "false", StringComparison.OrdinalIgnoreCase) ? null : session.Core.TempDirectory;

    private static void ValidateLimitOption(string key, string value, SourcePosition position)
    {
        switch (key.ToLowerInvariant())
        {
            case "query.memory-limit":
                if (!SettingValues.TryParseMemorySize(value, out var bytes) || bytes < 1)
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a memory size such as '256mb' or '1 gb', got '{value}'", position);
                break;
            case "query.timeout":
                if (!SettingValues.TryParseDuration(value, out _))
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a duration such as '10 s', '500 ms' or '0' (none), got '{value}'", position);
                break;
            case "query.spill-enabled":
                if (!bool.TryParse(value, out _))
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be 'true' or 'false', got '{value}'", position);
                break;
        }
    }
}
