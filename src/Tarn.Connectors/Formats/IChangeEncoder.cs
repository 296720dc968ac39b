using System.Buffers;
using Tarn.Execution.Streaming;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Encodes the changes of a change batch as messages: a changelog format (debezium-json, canal-json) writes each
/// change with its kind, an -U immediately followed by its +U as ONE update message (so a consumer sees an update,
/// not a delete and an insert); a plain format (json, csv, raw) writes inserted rows.
/// </summary>
internal interface IChangeEncoder
{
    /// <summary>
    /// Writes the message of the change at <paramref name="row"/> (and, for an update pair, the next row) and returns
    /// how many rows it covers (1 or 2). <paramref name="isNull"/> is true when the message is a null value (a raw
    /// format's NULL), in which case nothing is written.
    /// </summary>
    int Encode(ChangeBatch batch, int row, IBufferWriter<byte> output, out bool isNull);
}
