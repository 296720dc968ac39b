namespace Tarn.Console.Interactive;

/// <summary>Where the prompt gets its lines: the terminal line editor, or any TextReader (tests, dumb terminals).</summary>
internal interface ILineSource
{
    /// <summary>Shows <paramref name="prompt"/> and reads one line.</summary>
    LineRead ReadLine(string prompt);

    /// <summary>Records a submitted statement so the up arrow can bring it back.</summary>
    void AddHistory(string statement);
}

internal enum LineReadKind
{
    Line,

    /// <summary>End of input (Ctrl-D on an empty line, or the reader is exhausted).</summary>
    EndOfInput,

    /// <summary>Ctrl-C while editing: drop what has been typed so far.</summary>
    Interrupted,
}

internal readonly record struct LineRead(LineReadKind Kind, string Text)
{
    public static readonly LineRead EndOfInput = new(LineReadKind.EndOfInput, "");
    public static readonly LineRead Interrupted = new(LineReadKind.Interrupted, "");

    public static LineRead Line(string text) => new(LineReadKind.Line, text);
}
