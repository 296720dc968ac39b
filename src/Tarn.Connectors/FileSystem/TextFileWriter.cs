using System.Buffers;
using Tarn.Connectors.Formats;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>Writes a line-per-row format (csv, json): each row through an <see cref="IRowEncoder"/>, then a line break.</summary>
internal sealed class TextFileWriter(Stream stream, IRowEncoder encoder) : IFileFormatWriter
{
    private const int FlushThreshold = 1 << 16;

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);

    public long Rows { get; private set; }

    public long BytesWritten { get; private set; }

    public void Write(ColumnBatch batch)
    {
        for (var r = 0; r < batch.RowCount; r++)
        {
            encoder.Encode(batch, r, _buffer);
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            if (_buffer.WrittenCount >= FlushThreshold) Flush();
        }
        Rows += batch.RowCount;
    }

    private void Flush()
    {
        stream.Write(_buffer.WrittenSpan);
        BytesWritten += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }

    public void Finish()
    {
        Flush();
        stream.Flush();
        if (stream is FileStream file) file.Flush(flushToDisk: true);
    }

    public void Dispose() => stream.Dispose();
}
