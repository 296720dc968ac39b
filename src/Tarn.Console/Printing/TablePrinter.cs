using Tarn.Console.Cli;

namespace Tarn.Console.Printing;

/// <summary>
/// Plain aligned text, psql style, for redirected output and tests:
/// <code>
///  id | name
/// ----+------
///   1 | ann
///   2 | NULL
/// (2 rows)
/// </code>
/// Numbers are right-aligned; statements without rows print their status line.
/// </summary>
internal sealed class TablePrinter(TextWriter output) : ResultPrinter
{
    public override OutputFormat Format => OutputFormat.Table;

    public override void Print(TarnResult result)
    {
        if (!result.HasRows)
        {
            output.WriteLine(StatusText.For(result));
            output.Flush();
            return;
        }

        var columns = result.Columns.Count;
        var rightAligned = new bool[columns];
        var widths = new int[columns];
        var header = new string[columns][];
        for (var c = 0; c < columns; c++)
        {
            rightAligned[c] = result.Columns[c].Type.IsNumeric;
            header[c] = CellText.Lines(result.Columns[c].Name);
            widths[c] = MaxWidth(header[c]);
        }

        var rows = new List<string[][]>(result.RowCount);
        foreach (var values in Rows(result))
        {
            var cells = new string[columns][];
            for (var c = 0; c < columns; c++)
            {
                cells[c] = CellText.Lines(values[c]);
                widths[c] = Math.Max(widths[c], MaxWidth(cells[c]));
            }
            rows.Add(cells);
        }

        WriteRow(header, widths, rightAligned);
        WriteSeparator(widths);
        foreach (var cells in rows) WriteRow(cells, widths, rightAligned);
        output.WriteLine(StatusText.RowCount(result.RowCount));
        output.Flush();
    }

    private void WriteRow(string[][] cells, int[] widths, bool[] rightAligned)
    {
        var height = 1;
        foreach (var cell in cells) height = Math.Max(height, cell.Length);
        for (var line = 0; line < height; line++)
        {
            var text = new System.Text.StringBuilder();
            for (var c = 0; c < cells.Length; c++)
            {
                text.Append(c == 0 ? " " : " | ");
                var part = line < cells[c].Length ? cells[c][line] : "";
                text.Append(DisplayWidth.Pad(part, widths[c], rightAligned[c]));
            }
            output.WriteLine(text.ToString().TrimEnd());
        }
    }

    private void WriteSeparator(int[] widths)
    {
        var text = new System.Text.StringBuilder();
        for (var c = 0; c < widths.Length; c++)
        {
            text.Append(c == 0 ? "-" : "-+-");
            text.Append('-', widths[c]);
        }
        output.WriteLine(text.Append('-').ToString());
    }

    private static int MaxWidth(string[] lines)
    {
        var width = 0;
        foreach (var line in lines) width = Math.Max(width, DisplayWidth.Of(line));
        return width;
    }
}
