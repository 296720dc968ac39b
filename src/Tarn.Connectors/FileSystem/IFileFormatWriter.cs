using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Writes column batches into one file of a format. A batch sink (INSERT) and a streaming sink both drive it:
/// <see cref="Write"/> any number of times, then <see cref="Finish"/> to complete the file (footers, flushes) — or
/// dispose without finishing to abandon it. The writer does not name or publish the file (see <see cref="PartFile"/>).
/// </summary>
internal interface IFileFormatWriter : IDisposable
{
    /// <summary>Appends the rows of <paramref name="batch"/>, whose columns are the file's columns.</summary>
    void Write(ColumnBatch batch);

    /// <summary>Writes what is buffered and the format's trailer, and flushes the file to disk.</summary>
    void Finish();

    /// <summary>Rows written so far.</summary>
    long Rows { get; }

    /// <summary>Bytes in the file so far (buffered rows not counted), for rolling to a new file.</summary>
    long BytesWritten { get; }
}
