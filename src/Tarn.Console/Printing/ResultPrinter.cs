using Tarn.Console.Cli;

namespace Tarn.Console.Printing;

/// <summary>Writes statement results in one output format.</summary>
internal abstract class ResultPrinter
{
    public abstract OutputFormat Format { get; }

    /// <summary>The zone TIMESTAMP_LTZ values are shown in (the session's, set before each result).</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Prints one result completely and flushes, so output appears as each statement finishes.</summary>
    public abstract void Print(TarnResult result);

    public static ResultPrinter Create(OutputFormat format, ConsoleIo io) => format switch
    {
        OutputFormat.Csv => new CsvPrinter(io.Out, io.Error),
        OutputFormat.Json => new JsonPrinter(io.Out, io.Error),
        _ => io.IsSystemConsole && io.OutputIsTerminal ? new SpectreTablePrinter(io.Out) : new TablePrinter(io.Out),
    };

    /// <summary>Every row's values as display text (null = NULL), in result order.</summary>
    protected IEnumerable<string?[]> Rows(TarnResult result)
    {
        foreach (var batch in result.Batches)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                var row = new string?[result.Columns.Count];
                for (var c = 0; c < row.Length; c++) row[c] = ValueText.Format(batch.Columns[c], r, TimeZone);
                yield return row;
            }
        }
    }
}
