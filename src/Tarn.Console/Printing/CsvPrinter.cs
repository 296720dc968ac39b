using Tarn.Console.Cli;

namespace Tarn.Console.Printing;

/// <summary>
/// CSV: a header record, then one record per row (see <see cref="CsvFormat"/>). Statements without rows write their
/// status to <paramref name="messages"/> (stderr) so stdout holds nothing but CSV.
/// </summary>
internal sealed class CsvPrinter(TextWriter output, TextWriter messages) : ResultPrinter
{
    public override OutputFormat Format => OutputFormat.Csv;

    public override void Print(TarnResult result)
    {
        if (!result.HasRows)
        {
            messages.WriteLine(StatusText.For(result));
            return;
        }
        var names = new string?[result.Columns.Count];
        for (var c = 0; c < names.Length; c++) names[c] = result.Columns[c].Name;
        output.Write(CsvFormat.Record(names));
        foreach (var row in Rows(result)) output.Write(CsvFormat.Record(row));
        output.Flush();
    }
}
