using Tarn.Connectors.Formats;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// One data file a sink writes: <c>part-&lt;uuid&gt;-&lt;n&gt;.&lt;ext&gt;</c> in a table (or partition) directory. It is
/// written under a hidden in-progress name (<c>.part-…inprogress</c>, which readers skip), completed with
/// <see cref="Finish"/>, and made visible by <see cref="Commit"/>, a rename; <see cref="Abort"/> deletes it.
/// </summary>
internal sealed class PartFile
{
    private readonly IFileFormatWriter _writer;
    private readonly string _temp;
    private bool _closed;

    private PartFile(string directory, string name, IFileFormatWriter writer, string temp)
    {
        Directory = directory;
        FinalPath = System.IO.Path.Combine(directory, name);
        _temp = temp;
        _writer = writer;
    }

    public string Directory { get; }

    public string FinalPath { get; }

    /// <summary>The hidden name the file has until <see cref="Commit"/>.</summary>
    public string InProgressPath => _temp;

    public long Rows => _writer.Rows;

    public long BytesWritten => _writer.BytesWritten;

    /// <summary>Creates the in-progress file for the columns <paramref name="names"/> of <paramref name="types"/>.</summary>
    public static PartFile Create(FileSystemTable table, string directory, string name, IReadOnlyList<string> names, IReadOnlyList<DataType> types, TimeZoneInfo zone)
    {
        System.IO.Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, "." + name + ".inprogress");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            IFileFormatWriter writer = table.Format switch
            {
                FileFormat.Json => new TextFileWriter(stream, new JsonRowEncoder(table.Json, names, types, zone)),
                FileFormat.Parquet => new ParquetFileWriter(stream, names, types, table.Parquet, $"filesystem table '{table.Name}'"),
                _ => new TextFileWriter(stream, new CsvRowEncoder(table.Csv, types, zone)),
            };
            return new PartFile(directory, name, writer, temp);
        }
        catch
        {
            stream.Dispose();
            TryDelete(temp);
            throw;
        }
    }

    public void Write(ColumnBatch batch) => _writer.Write(batch);

    /// <summary>Completes the file (still hidden).</summary>
    public void Finish()
    {
        _writer.Finish();
        _writer.Dispose();
        _closed = true;
    }

    /// <summary>Makes the finished file visible.</summary>
    public void Commit() => File.Move(_temp, FinalPath);

    /// <summary>Undoes <see cref="Commit"/> (hides the file again) when a later step of the same INSERT failed.</summary>
    public void Uncommit()
    {
        try { File.Move(FinalPath, _temp); } catch (IOException) { TryDelete(FinalPath); } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Abandons the file: closes and deletes it.</summary>
    public void Abort()
    {
        if (!_closed)
        {
            try { _writer.Dispose(); } catch (IOException) { }
            _closed = true;
        }
        TryDelete(_temp);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
