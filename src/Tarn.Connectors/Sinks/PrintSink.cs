using System.Text;
using Tarn.Catalog.Model;
using Tarn.Execution.Formatting;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Connectors.Sinks;

/// <summary>
/// Flink's <c>print</c> connector: each change is written as a line such as <c>+I[1, Alice]</c> (<c>-U</c>, <c>+U</c>,
/// <c>-D</c> for the others), prefixed by <c>'print-identifier'</c> when given, to standard output or, with
/// <c>'standard-error' = 'true'</c>, to standard error. A job prints an epoch's lines once the epoch is committed,
/// so a restarted job does not print rows twice.
/// </summary>
public sealed class PrintSink : IConnectorSink
{
    private readonly string _prefix;
    private readonly TextWriter _output;
    private readonly StringBuilder _lines = new();

    public PrintSink(TableDef table, TextWriter? output = null)
    {
        _prefix = table.Options.TryGetValue("print-identifier", out var id) && id.Length > 0 ? id + "> " : "";
        _output = output ?? (table.Options.TryGetValue("standard-error", out var e) && bool.TryParse(e, out var toError) && toError
            ? Console.Error : Console.Out);
    }

    public static bool Is(TableDef table) => string.Equals(table.Connector, "print", StringComparison.OrdinalIgnoreCase);

    public long PendingRows { get; private set; }

    public void Write(ChangeBatch batch)
    {
        for (var r = 0; r < batch.RowCount; r++) Append(batch.Rows, r, batch.KindOf(r));
        PendingRows += batch.RowCount;
    }

    /// <summary>Appends one row as a line.</summary>
    public void Append(ColumnBatch rows, int row, RowKind kind)
    {
        _lines.Append(_prefix).Append(kind switch
        {
            RowKind.Insert => "+I[",
            RowKind.UpdateBefore => "-U[",
            RowKind.UpdateAfter => "+U[",
            _ => "-D[",
        });
        for (var c = 0; c < rows.ColumnCount; c++)
        {
            if (c > 0) _lines.Append(", ");
            _lines.Append(ValueFormatter.Format(rows[c], row) ?? "null");
        }
        _lines.Append(']').Append('\n');
    }

    public void PreCommit(long epoch) { }

    public void Commit(long epoch) => Print();

    /// <summary>Writes the buffered lines out.</summary>
    public void Print()
    {
        if (_lines.Length > 0)
        {
            _output.Write(_lines.ToString());
            _output.Flush();
        }
        Discard();
    }

    public void Discard()
    {
        _lines.Clear();
        PendingRows = 0;
    }

    public void Dispose() { }
}
