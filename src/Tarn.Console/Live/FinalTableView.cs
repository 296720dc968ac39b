using Tarn.Console.Printing;

namespace Tarn.Console.Live;

/// <summary>
/// Table result mode where nothing can be redrawn (output that is not a terminal): the result's rows are printed
/// once, when the query is stopped, as the current state of the result.
/// </summary>
internal sealed class FinalTableView(TextWriter output) : LiveView
{
    public override void Begin(IReadOnlyList<TarnColumn> columns, LiveStatus status) { }

    public override void Apply(TarnChangeBatch changes, TarnLiveTable table, LiveStatus status) { }

    public override void End(TarnLiveTable table, LiveStatus status)
    {
        new TablePrinter(output) { TimeZone = TimeZone }.Print(table.ToResult());
        output.WriteLine(status.ToString());
        output.Flush();
    }
}
