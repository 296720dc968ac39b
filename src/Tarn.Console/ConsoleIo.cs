using System.Text;

namespace Tarn.Console;

/// <summary>
/// The streams the console talks to, and what they are connected to. Tests build one over StringReader/StringWriter
/// and may claim a terminal on input to drive the prompt; only <see cref="IsSystemConsole"/> turns on the raw-key line
/// editor, Spectre rendering and the Ctrl-C handler, which need the real process console.
/// </summary>
internal sealed record ConsoleIo(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Input comes from a person typing (prompt mode) rather than a pipe or file (script mode).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Output goes to a terminal, so table mode may draw boxes.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>The streams are the process's own console.</summary>
    public bool IsSystemConsole { get; init; }

    /// <summary>
    /// Plain streams unless they are the process console, in which case redirection is detected and a redirected
    /// stdout gets a buffered writer (Console.Out flushes on every write, which makes large CSV output crawl).
    /// </summary>
    public static ConsoleIo Detect(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        // stdout first: touching Console.In sets up terminal input handling, which tests with a StringReader do not need.
        var isSystem = ReferenceEquals(stdout, System.Console.Out) && ReferenceEquals(stdin, System.Console.In);
        if (!isSystem) return new ConsoleIo(stdin, stdout, stderr);

        var outputIsTerminal = !System.Console.IsOutputRedirected;
        var output = outputIsTerminal
            ? stdout
            : new StreamWriter(System.Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        return new ConsoleIo(stdin, output, stderr)
        {
            InputIsTerminal = !System.Console.IsInputRedirected,
            OutputIsTerminal = outputIsTerminal,
            IsSystemConsole = true,
        };
    }
}
