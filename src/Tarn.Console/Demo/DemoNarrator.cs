using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console.Demo;

/// <summary>How the demo talks: step headings, plain-words explanations, the SQL it runs and the results as tables.</summary>
internal sealed class DemoNarrator(ConsoleIo io)
{
    private const int Width = 100;

    private readonly ResultPrinter _printer = ResultPrinter.Create(OutputFormat.Table, io);

    public TextWriter Out => io.Out;

    public void Heading(string title)
    {
        io.Out.WriteLine();
        var line = $"== {title} ";
        io.Out.WriteLine(line.Length < Width ? line + new string('=', Width - line.Length) : line);
    }

    /// <summary>Explanatory text, wrapped at the demo's width; blank lines in it separate paragraphs.</summary>
    public void Say(string text)
    {
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split("\n\n"))
        {
            io.Out.WriteLine();
            foreach (var line in Wrap(paragraph.Replace('\n', ' ').Trim())) io.Out.WriteLine(line);
        }
        io.Out.Flush();
    }

    /// <summary>A statement about to run: its comments from the script, then its SQL, indented.</summary>
    public void Statement(ScriptStatement statement)
    {
        io.Out.WriteLine();
        foreach (var line in statement.Narration) io.Out.WriteLine(line.Length == 0 ? "" : "-- " + line);
        foreach (var line in statement.Sql.Split('\n')) io.Out.WriteLine("    " + line.TrimEnd('\r'));
        io.Out.Flush();
    }

    public void Sql(string sql) => Statement(new ScriptStatement([], sql));

    public void Result(TarnResult result) => _printer.Print(result);

    public void Line(string text)
    {
        io.Out.WriteLine(text);
        io.Out.Flush();
    }

    public void Error(string text)
    {
        io.Out.Flush();
        io.Error.WriteLine(text);
        io.Error.Flush();
    }

    public void Error(Exception e, string sql)
    {
        io.Out.Flush();
        ErrorPrinter.Print(io.Error, e, sql, ScriptSource.Prompt);
        io.Error.Flush();
    }

    private static IEnumerable<string> Wrap(string text)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > Width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
