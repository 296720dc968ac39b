using System.Text;
using Tarn.Console.Printing;

namespace Tarn.Console.Live;

/// <summary>
/// A view that writes lines as changes arrive (changelog, tableau). On a terminal the status stays on the last line,
/// rewritten in place (carriage return + erase line); elsewhere (a file, a test) it is written once, at the end.
/// </summary>
internal abstract class LineLiveView(TextWriter output, bool inPlaceStatus) : LiveView
{
    private const string EraseLine = "\r\u001b[2K";
    private bool _statusShown;

    protected TextWriter Output => output;

    public override TimeSpan? TickInterval => inPlaceStatus ? TimeSpan.FromSeconds(1) : null;

    protected void WriteLines(IEnumerable<string> lines, LiveStatus status)
    {
        ClearStatus();
        foreach (var line in lines) output.WriteLine(line);
        ShowStatus(status);
    }

    public override void Tick(LiveStatus status)
    {
        ClearStatus();
        ShowStatus(status);
    }

    protected void WriteEnd(IEnumerable<string> lines, LiveStatus status)
    {
        ClearStatus();
        foreach (var line in lines) output.WriteLine(line);
        output.WriteLine(status.ToString());
        output.Flush();
    }

    private void ShowStatus(LiveStatus status)
    {
        if (inPlaceStatus)
        {
            output.Write(status.ToString());
            _statusShown = true;
        }
        output.Flush();
    }

    private void ClearStatus()
    {
        if (!_statusShown) return;
        output.Write(EraseLine);
        _statusShown = false;
    }

    /// <summary>A cell's text on one line (a value with line breaks is joined with spaces), NULL spelled out.</summary>
    protected string Cell(TarnChangeBatch changes, int row, int column) =>
        string.Join(' ', CellText.Lines(ValueText.Format(changes.Rows.Columns[column], row, TimeZone)));

    protected static string Pad(string text, int width, bool right) => DisplayWidth.Pad(text, width, right);

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> display columns, ending in "..." when cut.</summary>
    protected static string Fit(string text, int width)
    {
        if (DisplayWidth.Of(text) <= width) return text;
        var cut = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = DisplayWidth.Of(rune);
            if (used + w > width - 3) break;
            cut.Append(rune.ToString());
            used += w;
        }
        return cut.Append("...").ToString();
    }
}
