using System.Text;
using Tarn.Execution;
using Tarn.Execution.Formatting;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Writes the rows of one INSERT into a filesystem table as a new CSV file in the table's directory, as Flink's
/// filesystem sink does (<c>part-&lt;uuid&gt;-0.csv</c>). The file is written under a hidden name (which readers skip)
/// and renamed when complete, so a reader never sees half of it. Values are written as CAST(x AS STRING) shows them;
/// NULL as the null literal (default: an empty field); fields with a delimiter, quote or line break are quoted.
/// </summary>
internal static class CsvFileWriter
{
    public static long Write(FileSystemTable table, IBatchOperator source, ExecutionContext context)
    {
        if (File.Exists(table.Path))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem path '{table.Path}' is a file; INSERT writes new files into a directory") { FilePath = table.Path };
        Directory.CreateDirectory(table.Path);
        var name = $"part-{Guid.NewGuid():N}-0.csv";
        var temp = Path.Combine(table.Path, "." + name + ".inprogress");
        long rows = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                var options = table.Csv;
                var nullText = options.NullLiteral is { } n ? Encoding.UTF8.GetString(n) : "";
                var delimiter = (char)options.FieldDelimiter;
                var quote = options.QuoteCharacter is { } q ? (char)q : (char?)null;
                while (source.Next() is { } batch)
                {
                    context.ThrowIfCanceled();
                    WriteBatch(writer, batch, delimiter, quote, nullText, context.SessionTimeZone);
                    rows += batch.RowCount;
                }
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            if (rows == 0)
            {
                File.Delete(temp);
                return 0;
            }
            File.Move(temp, Path.Combine(table.Path, name));
            return rows;
        }
        catch (IOException e)
        {
            TryDelete(temp);
            throw new TarnException(SqlStates.IoError, $"cannot write '{temp}': {e.Message}", e) { FilePath = temp };
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void WriteBatch(StreamWriter writer, ColumnBatch batch, char delimiter, char? quote, string nullText, TimeZoneInfo zone)
    {
        for (var r = 0; r < batch.RowCount; r++)
        {
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                if (c > 0) writer.Write(delimiter);
                var text = ValueFormatter.Format(batch.Columns[c], r, zone);
                if (text is null) { writer.Write(nullText); continue; }
                var needsQuotes = quote is not null && (text.Contains(delimiter, StringComparison.Ordinal) || text.Contains(quote.Value, StringComparison.Ordinal)
                    || text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
                    || (text.Length == 0 && nullText.Length == 0) || (nullText.Length > 0 && text == nullText));
                if (!needsQuotes) { writer.Write(text); continue; }
                var q = quote!.Value;
                writer.Write(q);
                writer.Write(text.Replace(q.ToString(), new string(q, 2), StringComparison.Ordinal));
                writer.Write(q);
            }
            writer.Write('\n');
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
