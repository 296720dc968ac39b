namespace Tarn.Console.Cli;

internal enum ScriptSourceKind
{
    /// <summary>The text of a <c>-c</c> option.</summary>
    Command,

    /// <summary>A file named by <c>-f</c> (or <c>.read</c> at the prompt).</summary>
    File,

    /// <summary>A script piped into standard input (also <c>-f -</c>).</summary>
    Stdin,

    /// <summary>Statements typed at the interactive prompt.</summary>
    Prompt,
}

/// <summary>Where a script came from, so an error can say which <c>-c</c> or <c>-f</c> it belongs to.</summary>
/// <param name="Argument">The SQL text of a <c>-c</c>, or the file name of a <c>-f</c>.</param>
/// <param name="Ordinal">For <c>-c</c>: its 1-based position among the <c>-c</c> options.</param>
internal sealed record ScriptSource(ScriptSourceKind Kind, string Argument, int Ordinal = 0)
{
    public static readonly ScriptSource Prompt = new(ScriptSourceKind.Prompt, "");
    public static readonly ScriptSource Stdin = new(ScriptSourceKind.Stdin, "-");

    public static ScriptSource Command(string sql, int ordinal) => new(ScriptSourceKind.Command, sql, ordinal);

    public static ScriptSource File(string path) =>
        path == "-" ? Stdin : new ScriptSource(ScriptSourceKind.File, path);

    /// <summary>How an error message names the source ("-c #2", "-f load.sql", "stdin"); empty at the prompt.</summary>
    public string Describe() => Kind switch
    {
        ScriptSourceKind.Command => $"-c #{Ordinal}",
        ScriptSourceKind.File => $"-f {Argument}",
        ScriptSourceKind.Stdin => "stdin",
        _ => "",
    };
}
