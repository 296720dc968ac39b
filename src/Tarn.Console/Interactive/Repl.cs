using System.Text;
using Tarn.Console.Cli;

namespace Tarn.Console.Interactive;

/// <summary>
/// The interactive prompt: collects lines until the text ends with ';' (outside strings and comments), runs it,
/// prints results and errors, and carries on after errors. Lines starting with '.' on an empty buffer are commands
/// (<see cref="DotCommands"/>). Ends on <c>.quit</c>/<c>.exit</c> or end of input (Ctrl-D), which also runs any
/// statement still being typed.
/// </summary>
internal sealed class Repl(ScriptRunner runner, ILineSource lines, ConsoleIo io)
{
    public const string Prompt = "tarn> ";
    public const string ContinuationPrompt = "   -> ";

    public async Task<int> RunAsync()
    {
        var commands = new DotCommands(runner, io);
        var buffer = new StringBuilder();
        while (true)
        {
            io.Out.Flush();
            var read = lines.ReadLine(buffer.Length == 0 ? Prompt : ContinuationPrompt);
            switch (read.Kind)
            {
                case LineReadKind.EndOfInput:
                    if (!StatementScanner.IsBlank(buffer.ToString())) await RunAsync(buffer.ToString());
                    return ExitCodes.Success;
                case LineReadKind.Interrupted:
                    buffer.Clear();
                    continue;
            }

            var line = read.Text;
            if (buffer.Length == 0 && line.TrimStart().StartsWith('.'))
            {
                lines.AddHistory(line.Trim());
                if (!await commands.ExecuteAsync(line.Trim())) return ExitCodes.Success;
                continue;
            }
            if (buffer.Length == 0 && string.IsNullOrWhiteSpace(line)) continue;

            if (buffer.Length > 0) buffer.Append('\n');
            buffer.Append(line);
            var text = buffer.ToString();
            if (!StatementScanner.EndsStatement(text)) continue;
            buffer.Clear();
            await RunAsync(text);
        }
    }

    private async Task RunAsync(string text)
    {
        lines.AddHistory(text);
        await runner.RunAsync(text, ScriptSource.Prompt);
    }
}
