using System.Buffers;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Encodes one row of a column batch as the bytes of one message (a line of a file without its line break, or a
/// Kafka record's key or value). Encoders are created for fixed column types and reused for every row; they write
/// straight into the caller's buffer writer so a sink controls its buffers.
/// </summary>
internal interface IRowEncoder
{
    /// <summary>Appends row <paramref name="row"/> of <paramref name="batch"/> (whose columns have the encoder's types).</summary>
    void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output);
}
