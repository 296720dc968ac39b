namespace Tarn.Console.Interactive;

/// <summary>Lines from a TextReader, with the prompt echoed to <paramref name="promptOutput"/> if given. No history.</summary>
internal sealed class TextLineSource(TextReader input, TextWriter? promptOutput = null) : ILineSource
{
    public LineRead ReadLine(string prompt)
    {
        if (promptOutput is not null)
        {
            promptOutput.Write(prompt);
            promptOutput.Flush();
        }
        var line = input.ReadLine();
        return line is null ? LineRead.EndOfInput : LineRead.Line(line);
    }

    public void AddHistory(string statement)
    {
    }
}
