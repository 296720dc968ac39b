using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console.Interactive;

/// <summary>The prompt's own commands: .help, .quit/.exit, .mode, .read, .tables.</summary>
internal sealed class DotCommands(ScriptRunner runner, ConsoleIo io)
{
    public const string Help = """
        Enter SQL statements ending with ';'. A statement may span several lines.
          .help              show this text
          .mode [FORMAT]     show or set the output format: table, csv, json
          .read FILE         run the statements in FILE
          .tables            list the tables (SHOW TABLES)
          .quit, .exit       leave the prompt (Ctrl-D also works)
        Ctrl-C cancels a running statement; a second Ctrl-C exits.
        In streaming mode (SET 'execution.runtime-mode' = 'streaming') a SELECT shows its result live until Ctrl-C,
        as set by SET 'sql-client.execution.result-mode' = 'table' (default), 'changelog' or 'tableau'.

        """;

    /// <summary>Runs one command line; false when the prompt should end.</summary>
    public async Task<bool> ExecuteAsync(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (name)
        {
            case ".quit" or ".exit":
                return false;
            case ".help":
                io.Out.Write(Help);
                break;
            case ".mode":
                SetMode(argument);
                break;
            case ".read":
                await ReadAsync(argument);
                break;
            case ".tables":
                await runner.RunAsync("SHOW TABLES", ScriptSource.Prompt);
                break;
            default:
                io.Error.WriteLine($"Unknown command '{name}'. Enter .help for the list of commands.");
                break;
        }
        return true;
    }

    private void SetMode(string argument)
    {
        if (argument.Length == 0)
        {
            io.Out.WriteLine($"Output format: {runner.Printer.Format.Name()}");
        }
        else if (OutputFormats.TryParse(argument, out var format))
        {
            runner.Printer = ResultPrinter.Create(format, io);
        }
        else
        {
            io.Error.WriteLine($"Unknown format '{argument}' (expected {OutputFormats.Names}).");
        }
    }

    private async Task ReadAsync(string path)
    {
        if (path.Length == 0)
        {
            io.Error.WriteLine("Usage: .read FILE");
            return;
        }
        string script;
        try
        {
            script = await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"Error: cannot read '{path}': {e.Message}");
            return;
        }
        await runner.RunAsync(script, ScriptSource.File(path));
    }
}
