using System.Text;
using Tarn.Console.Printing;

namespace Tarn.Console.Live;

/// <summary>
/// Tableau result mode (Flink's): every change as a row of a bordered table that grows downwards as changes arrive.
/// Column widths are fixed when the query starts (from the names and types: the rows are not known yet); a longer
/// value is cut and ends in "...".
/// <code>
/// +----+----------------------+
/// | op |                 name |
/// +----+----------------------+
/// | +I |                  ann |
/// </code>
/// </summary>
internal sealed class TableauView(TextWriter output, bool inPlaceStatus) : LineLiveView(output, inPlaceStatus)
{
    private const int MaxWidth = 30;
    private int[] _widths = [];
    private bool[] _right = [];
    private string _border = "";

    public override void Begin(IReadOnlyList<TarnColumn> columns, LiveStatus status)
    {
        _widths = new int[columns.Count + 1];
        _right = new bool[columns.Count + 1];
        var header = new string[columns.Count + 1];
        header[0] = "op";
        _widths[0] = 2;
        for (var c = 0; c < columns.Count; c++)
        {
            header[c + 1] = string.Join(' ', CellText.Lines(columns[c].Name));
            _right[c + 1] = columns[c].Type.IsNumeric;
            _widths[c + 1] = Math.Min(MaxWidth, Math.Max(DisplayWidth.Of(header[c + 1]), columns[c].Type.IsNumeric ? 12 : 20));
        }
        var border = new StringBuilder("+");
        foreach (var width in _widths) border.Append('-', width + 2).Append('+');
        _border = border.ToString();
        WriteLines([_border, Line(header), _border], status);
    }

    public override void Apply(TarnChangeBatch changes, TarnLiveTable table, LiveStatus status)
    {
        var lines = new List<string>(changes.RowCount);
        var cells = new string[_widths.Length];
        for (var r = 0; r < changes.RowCount; r++)
        {
            cells[0] = changes.KindOf(r).ToShortString();
            for (var c = 1; c < cells.Length; c++) cells[c] = Cell(changes, r, c - 1);
            lines.Add(Line(cells));
        }
        WriteLines(lines, status);
    }

    public override void End(TarnLiveTable table, LiveStatus status) => WriteEnd([_border], status);

    private string Line(string[] cells)
    {
        var text = new StringBuilder("|");
        for (var c = 0; c < cells.Length; c++)
            text.Append(' ').Append(Pad(Fit(cells[c], _widths[c]), _widths[c], _right[c])).Append(" |");
        return text.ToString();
    }
}
