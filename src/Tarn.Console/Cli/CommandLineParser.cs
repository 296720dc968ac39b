namespace Tarn.Console.Cli;

/// <summary>
/// Parses <c>tarn [DB_DIR] [-c SQL]... [-f FILE]... [--format table|csv|json] [--wait-jobs] [--help] [--version]</c>.
/// Hand-written rather than System.CommandLine because -c and -f must keep their relative order, which per-option
/// value lists lose.
/// </summary>
internal static class CommandLineParser
{
    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        string? database = null;
        var scripts = new List<ScriptSource>();
        var format = OutputFormat.Table;
        var help = false;
        var version = false;
        var waitJobs = false;
        var commands = 0;
        var onlyPositional = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositional || arg == "-" || !arg.StartsWith('-'))
            {
                if (database is not null) throw new UsageException($"unexpected argument '{arg}' (the database directory is already '{database}')");
                database = arg;
                continue;
            }

            var (name, inlineValue) = Split(arg);
            switch (name)
            {
                case "--":
                    onlyPositional = true;
                    break;
                case "-c" or "--command":
                    scripts.Add(ScriptSource.Command(inlineValue ?? TakeValue(args, ref i, name), ++commands));
                    break;
                case "-f" or "--file":
                    scripts.Add(ScriptSource.File(inlineValue ?? TakeValue(args, ref i, name)));
                    break;
                case "--format":
                    var text = inlineValue ?? TakeValue(args, ref i, name);
                    if (!OutputFormats.TryParse(text, out format))
                        throw new UsageException($"unknown format '{text}' (expected {OutputFormats.Names})");
                    break;
                case "-h" or "-?" or "--help" when inlineValue is null:
                    help = true;
                    break;
                case "-V" or "--version" when inlineValue is null:
                    version = true;
                    break;
                case "--wait-jobs" when inlineValue is null:
                    waitJobs = true;
                    break;
                default:
                    throw new UsageException($"unknown option '{arg}'");
            }
        }
        return new CommandLineOptions(database, scripts, format, help, version, waitJobs);
    }

    /// <summary>Splits "--format=csv" and "-cSELECT 1" into option and attached value.</summary>
    private static (string Name, string? Value) Split(string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            var eq = arg.IndexOf('=');
            return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
        }
        return arg.Length > 2 && arg[1] is 'c' or 'f' ? (arg[..2], arg[2..]) : (arg, null);
    }

    private static string TakeValue(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count) throw new UsageException($"option '{name}' needs a value");
        return args[++i];
    }

    public const string Usage = "Usage: tarn [DB_DIR] [-c SQL]... [-f FILE]... [--format table|csv|json] [--wait-jobs] [--help] [--version]\n";

    public static string Help => Usage + $"""

        Runs SQL against the Tarn database in DB_DIR. Without DB_DIR the default database is used:
        $TARN_HOME, else $XDG_DATA_HOME/tarn/default, else ~/.local/share/tarn/default
        (currently {TarnDatabase.DefaultPath}).

        Options:
          -c, --command SQL    run the statements in SQL; may be repeated
          -f, --file FILE      run the statements in FILE ('-' reads stdin); may be repeated
                               (-c and -f run in the order given; the first error stops the run)
              --format FORMAT  output format: table (default), csv or json
              --wait-jobs      after the statements, wait until every streaming job has processed
                               all input committed so far, then exit (jobs resume on the next open)
          -h, --help           show this help
          -V, --version        show the version

        Without -c or -f, statements are read from stdin when it is not a terminal, otherwise
        from an interactive prompt (enter .help there).

        tarn demo [DB_DIR] builds the article's warehouse end to end and explains it (tarn demo --help).
        tarn serve [DB_DIR] serves the database over the PostgreSQL and Kafka protocols (tarn serve --help).

        Exit status: 0 on success, 1 when a statement fails, 2 for a bad command line.

        """;
}
