using Tarn.Console;

namespace Tarn.Console.Tests;

/// <summary>What one run of the console produced.</summary>
internal sealed record ConsoleRun(int ExitCode, string Out, string Error);

/// <summary>A temporary directory with a database in it, and ways to run the console against it in-process.</summary>
internal sealed class ConsoleHarness : IDisposable
{
    public ConsoleHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "tarn-console-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "db");

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs <c>tarn DB_DIR args...</c> with empty piped stdin.</summary>
    public ConsoleRun Run(params string[] args) => RunWithStdin("", args);

    /// <summary>Runs <c>tarn DB_DIR args...</c> with <paramref name="stdin"/> as piped (non-terminal) input.</summary>
    public ConsoleRun RunWithStdin(string stdin, params string[] args) => RunRaw(stdin, [DatabasePath, .. args]);

    /// <summary>Runs with exactly <paramref name="args"/> (no database argument added).</summary>
    public static ConsoleRun RunRaw(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ConsoleApp.Run(args, new StringReader(stdin), output, error);
        return new ConsoleRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the interactive prompt, typing <paramref name="typed"/> line by line.</summary>
    public ConsoleRun RunPrompt(string typed, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new ConsoleIo(new StringReader(typed), output, error) { InputIsTerminal = true };
        var code = ConsoleApp.Run([DatabasePath, .. args], io);
        return new ConsoleRun(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A background flush may still hold a file for a moment; the temp directory is cleaned up eventually.
        }
    }
}
