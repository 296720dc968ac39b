namespace Tarn.Console.Cli;

/// <summary>What the command line asked for.</summary>
/// <param name="DatabasePath">DB_DIR, or null for <see cref="TarnDatabase.DefaultPath"/>.</param>
/// <param name="Scripts">Every <c>-c</c> and <c>-f</c>, in command-line order.</param>
/// <param name="WaitJobs"><c>--wait-jobs</c>: after the scripts, wait until every streaming job has caught up, then exit.</param>
internal sealed record CommandLineOptions(
    string? DatabasePath,
    IReadOnlyList<ScriptSource> Scripts,
    OutputFormat Format,
    bool ShowHelp,
    bool ShowVersion,
    bool WaitJobs = false);
