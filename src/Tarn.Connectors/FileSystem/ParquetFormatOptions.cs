using Parquet;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Options of the <c>parquet</c> format: <c>parquet.compression</c> (<c>SNAPPY</c> by default, <c>UNCOMPRESSED</c>,
/// <c>GZIP</c>, <c>ZSTD</c>, <c>LZ4</c>, <c>LZ4_RAW</c>, <c>BROTLI</c>) and <c>parquet.block.size</c>, the row group size
/// in bytes of column data before compression (64 MB by default). Other <c>parquet.*</c> keys are Hadoop writer
/// properties Flink passes through; Tarn accepts and ignores them.
/// </summary>
internal sealed record ParquetFormatOptions(CompressionMethod Compression, long BlockSize)
{
    public const long DefaultBlockSize = 64L << 20;

    public static ParquetFormatOptions From(IReadOnlyDictionary<string, string> options, string owner)
    {
        var compression = CompressionMethod.Snappy;
        if (options.TryGetValue("parquet.compression", out var c))
            compression = c.ToUpperInvariant() switch
            {
                "SNAPPY" => CompressionMethod.Snappy,
                "UNCOMPRESSED" or "NONE" => CompressionMethod.None,
                "GZIP" => CompressionMethod.Gzip,
                "ZSTD" => CompressionMethod.Zstd,
                "LZ4" => CompressionMethod.LZ4,
                "LZ4_RAW" => CompressionMethod.Lz4Raw,
                "BROTLI" => CompressionMethod.Brotli,
                _ => throw new TarnException(SqlStates.InvalidParameterValue,
                    $"{owner}: 'parquet.compression' must be one of SNAPPY, UNCOMPRESSED, GZIP, ZSTD, LZ4, LZ4_RAW, BROTLI; got '{c}'"),
            };
        var blockSize = DefaultBlockSize;
        if (options.TryGetValue("parquet.block.size", out var b) && (!long.TryParse(b, out blockSize) || blockSize <= 0))
            throw new TarnException(SqlStates.InvalidParameterValue, $"{owner}: 'parquet.block.size' must be a positive number of bytes, got '{b}'");
        return new ParquetFormatOptions(compression, blockSize);
    }
}
