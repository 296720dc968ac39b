using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>Reads the needed columns of one file of a filesystem table into column batches.</summary>
internal interface IFileBatchReader : IDisposable
{
    /// <summary>Up to <paramref name="maxRows"/> rows (the reader's output columns only), or null at the end of the file.</summary>
    ColumnBatch? ReadBatch(int maxRows);
}
