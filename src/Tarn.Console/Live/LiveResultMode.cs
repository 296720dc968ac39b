namespace Tarn.Console.Live;

/// <summary>
/// How the prompt shows a streaming SELECT while it runs: Flink's SQL client result modes, chosen with
/// <c>SET 'sql-client.execution.result-mode' = 'table' | 'changelog' | 'tableau'</c>.
/// </summary>
internal enum LiveResultMode
{
    /// <summary>The current rows of the result, redrawn as changes arrive (the default).</summary>
    Table,

    /// <summary>Every change as a line, after an <c>op</c> column (+I, -U, +U, -D).</summary>
    Changelog,

    /// <summary>Every change as a row of a bordered table that grows downwards.</summary>
    Tableau,
}

internal static class LiveResultModes
{
    public const string OptionName = "sql-client.execution.result-mode";

    public static LiveResultMode Of(TarnSession session) =>
        session.Options.TryGetValue(OptionName, out var value) ? Parse(value) : LiveResultMode.Table;

    public static LiveResultMode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "changelog" => LiveResultMode.Changelog,
        "tableau" => LiveResultMode.Tableau,
        _ => LiveResultMode.Table,
    };
}
