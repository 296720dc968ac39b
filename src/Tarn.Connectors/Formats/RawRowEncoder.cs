using System.Buffers;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>raw</c> format, writing: the one STRING (UTF-8) or BYTES column's bytes as the whole message. A NULL
/// value is a null message (see <see cref="IsNull"/>); the encoder writes nothing for it.
/// </summary>
internal sealed class RawRowEncoder : IRowEncoder
{
    public RawRowEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types)
    {
        // the decoder checks the options and the column the same way
        _ = new RawRowDecoder(options, names, types, [null]);
    }

    /// <summary>Whether row <paramref name="row"/>'s message is null (a NULL value).</summary>
    public static bool IsNull(ColumnBatch batch, int row) => batch.Columns[0].IsNull(row);

    public void Encode(ColumnBatch batch, int row, IBufferWriter<byte> output)
    {
        var column = batch.Columns[0];
        if (!column.IsNull(row)) output.Write(EncodedValues.Bytes(column, row));
    }
}
