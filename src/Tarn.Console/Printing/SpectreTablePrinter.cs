using Spectre.Console;
using Spectre.Console.Rendering;
using Tarn.Console.Cli;

namespace Tarn.Console.Printing;

/// <summary>
/// Table mode on a terminal: a rounded box that Spectre fits to the window width. Only used when stdout is a
/// terminal; very large results fall back to <see cref="TablePrinter"/>, which streams lines instead of laying out
/// the whole box in memory.
/// </summary>
internal sealed class SpectreTablePrinter : ResultPrinter
{
    private const int MaxBoxedRows = 10_000;
    private static readonly Style NullStyle = new(decoration: Decoration.Dim);
    private static readonly Style HeaderStyle = new(decoration: Decoration.Bold);

    private readonly IAnsiConsole _console;
    private readonly TablePrinter _plain;

    public SpectreTablePrinter(TextWriter output)
        : this(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }), output)
    {
    }

    internal SpectreTablePrinter(IAnsiConsole console, TextWriter output)
    {
        _console = console;
        _plain = new TablePrinter(output);
    }

    public override OutputFormat Format => OutputFormat.Table;

    public override void Print(TarnResult result)
    {
        if (!result.HasRows || result.RowCount > MaxBoxedRows)
        {
            _plain.TimeZone = TimeZone;
            _plain.Print(result);
            return;
        }

        var table = new Table { Border = TableBorder.Rounded };
        foreach (var column in result.Columns)
        {
            table.AddColumn(new TableColumn(new Text(string.Join('\n', CellText.Lines(column.Name)), HeaderStyle))
            {
                Alignment = column.Type.IsNumeric ? Justify.Right : Justify.Left,
            });
        }
        foreach (var values in Rows(result))
        {
            var cells = new IRenderable[values.Length];
            for (var c = 0; c < cells.Length; c++)
                cells[c] = values[c] is null ? new Text(CellText.Null, NullStyle) : new Text(string.Join('\n', CellText.Lines(values[c])));
            table.AddRow(cells);
        }
        _console.Write(table);
        _console.WriteLine(StatusText.RowCount(result.RowCount));
    }
}
