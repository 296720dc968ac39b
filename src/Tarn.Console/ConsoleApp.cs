using Tarn.Console.Cli;
using Tarn.Console.Interactive;
using Tarn.Console.Printing;

namespace Tarn.Console;

/// <summary>
/// The <c>tarn</c> command: parses the command line, opens the database and runs the <c>-c</c>/<c>-f</c> scripts,
/// a script piped into stdin, or the interactive prompt. Returns the process exit code (<see cref="ExitCodes"/>).
/// </summary>
internal static class ConsoleApp
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, ConsoleIo.Detect(stdin, stdout, stderr));

    internal static int Run(string[] args, ConsoleIo io)
    {
        try
        {
            return RunAsync(args, io).GetAwaiter().GetResult();
        }
        finally
        {
            io.Out.Flush();
            io.Error.Flush();
        }
    }

    internal static async Task<int> RunAsync(string[] args, ConsoleIo io)
    {
        if (args.Length > 0 && args[0] == Demo.DemoCommand.Name) return await Demo.DemoCommand.RunAsync(args[1..], io);
        if (args.Length > 0 && args[0] == ServeCommand.Name) return await ServeCommand.RunAsync(args[1..], io);
        CommandLineOptions options;
        try
        {
            options = CommandLineParser.Parse(args);
        }
        catch (UsageException e)
        {
            io.Error.Write($"tarn: {e.Message}\n{CommandLineParser.Usage}Try 'tarn --help' for more information.\n");
            return ExitCodes.Usage;
        }
        if (options.ShowHelp)
        {
            io.Out.Write(CommandLineParser.Help);
            return ExitCodes.Success;
        }
        if (options.ShowVersion)
        {
            io.Out.WriteLine($"tarn {AppVersion.Text}");
            return ExitCodes.Success;
        }

        // Read every file before running anything, so a mistyped name does not leave a half-run set of scripts.
        var scripts = ReadScripts(options.Scripts, io);
        if (scripts is null) return ExitCodes.Error;

        var database = await OpenDatabaseAsync(options.DatabasePath, io);
        if (database is null) return ExitCodes.Error;
        await using (database)
        {
            using var interrupts = io.IsSystemConsole ? InterruptHandler.AttachToConsole(io.Error) : new InterruptHandler();
            var runner = new ScriptRunner(database.DefaultSession, ResultPrinter.Create(options.Format, io), io.Error, interrupts)
            {
                ShowProgress = io.IsSystemConsole && !System.Console.IsErrorRedirected,
            };

            if (scripts.Count > 0)
            {
                foreach (var (source, text) in scripts)
                    if (!await runner.RunAsync(text, source)) return ExitCodes.Error;
                return await WaitForJobsAsync(database, options, io);
            }
            if (!io.InputIsTerminal)
            {
                var script = await io.In.ReadToEndAsync();
                return await runner.RunAsync(script, ScriptSource.Stdin) ? await WaitForJobsAsync(database, options, io) : ExitCodes.Error;
            }
            runner.LiveQueries = new Live.LiveQueryRunner(database.DefaultSession, io);
            return await RunPromptAsync(runner, database.Path, io);
        }
    }

    /// <summary>With <c>--wait-jobs</c>: blocks until every streaming job caught up with its input (then the process exits and the jobs resume on the next open).</summary>
    private static async Task<int> WaitForJobsAsync(TarnDatabase database, Cli.CommandLineOptions options, ConsoleIo io)
    {
        if (!options.WaitJobs) return ExitCodes.Success;
        await database.WaitForJobsAsync();
        foreach (var row in (await database.ExecuteAsync("SHOW JOBS")).Rows)
        {
            if ((string?)row[2] != "FAILED") continue;
            io.Error.WriteLine($"job {row[0]} failed: {row[4]}");
            return ExitCodes.Error;
        }
        return ExitCodes.Success;
    }

    private static async Task<int> RunPromptAsync(ScriptRunner runner, string databasePath, ConsoleIo io)
    {
        // With stdout redirected (tarn db > out.txt) the prompt is drawn on stderr, keeping the file clean.
        var screen = io.IsSystemConsole && !io.OutputIsTerminal ? io.Error : io.Out;
        screen.WriteLine($"tarn {AppVersion.Text}, database {databasePath}");
        screen.WriteLine("Enter .help for help, .quit or Ctrl-D to leave.");
        ILineSource lines = io.IsSystemConsole
            ? new TerminalLineEditor(new ReplHistory(ReplHistory.PathFor(databasePath)), screen)
            : new TextLineSource(io.In);
        return await new Repl(runner, lines, io).RunAsync();
    }

    private static List<(ScriptSource Source, string Text)>? ReadScripts(IReadOnlyList<ScriptSource> sources, ConsoleIo io)
    {
        var scripts = new List<(ScriptSource, string)>(sources.Count);
        foreach (var source in sources)
        {
            switch (source.Kind)
            {
                case ScriptSourceKind.Stdin:
                    scripts.Add((source, io.In.ReadToEnd()));
                    break;
                case ScriptSourceKind.File:
                    try
                    {
                        scripts.Add((source, File.ReadAllText(source.Argument)));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        io.Error.WriteLine($"Error: cannot read '{source.Argument}': {e.Message}");
                        return null;
                    }
                    break;
                default:
                    scripts.Add((source, source.Argument));
                    break;
            }
        }
        return scripts;
    }

    private static async Task<TarnDatabase?> OpenDatabaseAsync(string? path, ConsoleIo io)
    {
        var directory = Path.GetFullPath(path ?? TarnDatabase.DefaultPath);
        try
        {
            if (path is null && Path.GetDirectoryName(directory) is { } parent) Directory.CreateDirectory(parent);
            return await TarnDatabase.OpenAsync(directory);
        }
        catch (TarnException e)
        {
            ErrorPrinter.Print(io.Error, e);
        }
        catch (Exception e)
        {
            io.Error.WriteLine($"Error: cannot open database '{directory}': {e.Message}");
        }
        return null;
    }
}
