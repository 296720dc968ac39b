using Spectre.Console;
using Spectre.Console.Rendering;
using Tarn.Console.Printing;

namespace Tarn.Console.Live;

/// <summary>
/// Table result mode on a terminal: a Spectre live display of the result's current rows (the newest that fit the
/// window) and a status line, redrawn in place whenever the query caught up with its input, and every second for the
/// elapsed time. The last drawing stays on screen when the query is stopped.
/// </summary>
internal sealed class SpectreLiveTableView(IAnsiConsole console) : LiveView
{
    private static readonly Style NullStyle = new(decoration: Decoration.Dim);
    private static readonly Style HeaderStyle = new(decoration: Decoration.Bold);
    private static readonly Style StatusStyle = new(decoration: Decoration.Dim);

    private LiveDisplayContext? _display;
    private IReadOnlyList<TarnColumn> _columns = [];
    private TarnResult? _rows;

    public override TimeSpan? TickInterval => TimeSpan.FromSeconds(1);

    public override Task RunAsync(Func<Task> run) =>
        console.Live(new Text(""))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Top)
            .StartAsync(async context =>
            {
                _display = context;
                await run();
            });

    public override void Begin(IReadOnlyList<TarnColumn> columns, LiveStatus status)
    {
        _columns = columns;
        Draw(status);
    }

    public override void Apply(TarnChangeBatch changes, TarnLiveTable table, LiveStatus status)
    {
        // Redraw once the step's changes are all in: between them the result may be half-updated (-U without its +U).
        if (!changes.IsCaughtUp) return;
        _rows = table.ToResult(VisibleRows());
        Draw(status);
    }

    public override void Tick(LiveStatus status) => Draw(status);

    public override void End(TarnLiveTable table, LiveStatus status)
    {
        _rows = table.ToResult(VisibleRows());
        Draw(status);
    }

    /// <summary>Rows that fit the window under the table's borders and header and the status line.</summary>
    private int VisibleRows() => Math.Max(1, console.Profile.Height - 6);

    private void Draw(LiveStatus status)
    {
        if (_display is null) return;
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var column in _columns)
        {
            table.AddColumn(new TableColumn(new Text(string.Join('\n', CellText.Lines(column.Name)), HeaderStyle))
            {
                Alignment = column.Type.IsNumeric ? Justify.Right : Justify.Left,
            });
        }
        if (_rows is not null)
        {
            foreach (var batch in _rows.Batches)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    var cells = new IRenderable[_columns.Count];
                    for (var c = 0; c < cells.Length; c++)
                    {
                        var value = ValueText.Format(batch.Columns[c], r, TimeZone);
                        cells[c] = value is null ? new Text(CellText.Null, NullStyle) : new Text(string.Join('\n', CellText.Lines(value)));
                    }
                    table.AddRow(cells);
                }
            }
        }
        _display.UpdateTarget(new Rows(table, new Text(status.ToString(), StatusStyle)));
        _display.Refresh();
    }
}
