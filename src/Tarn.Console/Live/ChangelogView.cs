using System.Text;
using Tarn.Console.Printing;

namespace Tarn.Console.Live;

/// <summary>
/// Changelog result mode: every change as soon as it arrives, one aligned line each, after an <c>op</c> column
/// (+I, -U, +U, -D), psql style. A column widens when a longer value arrives (later lines use the new width).
/// <code>
///  op | id | name
/// ----+----+------
///  +I |  1 | ann
/// </code>
/// </summary>
internal sealed class ChangelogView(TextWriter output, bool inPlaceStatus) : LineLiveView(output, inPlaceStatus)
{
    private int[] _widths = [];
    private bool[] _right = [];

    public override void Begin(IReadOnlyList<TarnColumn> columns, LiveStatus status)
    {
        _widths = new int[columns.Count + 1];
        _right = new bool[columns.Count + 1];
        var header = new string[columns.Count + 1];
        header[0] = "op";
        for (var c = 0; c < columns.Count; c++)
        {
            header[c + 1] = string.Join(' ', CellText.Lines(columns[c].Name));
            _right[c + 1] = columns[c].Type.IsNumeric;
        }
        for (var c = 0; c < header.Length; c++) _widths[c] = DisplayWidth.Of(header[c]);
        var separator = new StringBuilder();
        for (var c = 0; c < _widths.Length; c++) separator.Append(c == 0 ? "-" : "-+-").Append('-', _widths[c]);
        WriteLines([Line(header, alignHeader: true), separator.Append('-').ToString()], status);
    }

    public override void Apply(TarnChangeBatch changes, TarnLiveTable table, LiveStatus status)
    {
        var lines = new List<string>(changes.RowCount);
        var cells = new string[_widths.Length];
        for (var r = 0; r < changes.RowCount; r++)
        {
            cells[0] = changes.KindOf(r).ToShortString();
            for (var c = 1; c < cells.Length; c++) cells[c] = Cell(changes, r, c - 1);
            lines.Add(Line(cells, alignHeader: false));
        }
        WriteLines(lines, status);
    }

    public override void End(TarnLiveTable table, LiveStatus status) => WriteEnd([], status);

    private string Line(string[] cells, bool alignHeader)
    {
        var text = new StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            _widths[c] = Math.Max(_widths[c], DisplayWidth.Of(cells[c]));
            text.Append(c == 0 ? " " : " | ").Append(Pad(cells[c], _widths[c], !alignHeader && _right[c]));
        }
        return text.ToString().TrimEnd();
    }
}
