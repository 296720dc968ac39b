using System.Buffers;
using Tarn.Execution.Streaming;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>canal-json</c> format, writing: +I (and a +U without its -U) as <c>{"data":[{...}],"old":null,"type":"INSERT"}</c>,
/// an -U followed by its +U as <c>{"data":[{after}],"old":[{before}],"type":"UPDATE"}</c> (the whole old row, which
/// readers accept for the changed fields), -D (and a lone -U) as <c>{"data":[{...}],"old":null,"type":"DELETE"}</c>.
/// </summary>
internal sealed class CanalJsonEncoder : IChangeEncoder
{
    private readonly JsonRowEncoder _row;

    public CanalJsonEncoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<Types.DataType> types, TimeZoneInfo zone)
    {
        options.CheckKnown(CanalJsonDecoder.KnownOptions);
        _row = new JsonRowEncoder(DebeziumJsonEncoder.JsonOptions(options), names, types, zone);
    }

    public int Encode(ChangeBatch batch, int row, IBufferWriter<byte> output, out bool isNull)
    {
        isNull = false;
        var kind = batch.KindOf(row);
        if (kind == RowKind.UpdateBefore && row + 1 < batch.RowCount && batch.KindOf(row + 1) == RowKind.UpdateAfter)
        {
            output.Write("{\"data\":["u8);
            _row.Encode(batch.Rows, row + 1, output);
            output.Write("],\"old\":["u8);
            _row.Encode(batch.Rows, row, output);
            output.Write("],\"type\":\"UPDATE\"}"u8);
            return 2;
        }
        output.Write("{\"data\":["u8);
        _row.Encode(batch.Rows, row, output);
        output.Write(kind is RowKind.Insert or RowKind.UpdateAfter ? "],\"old\":null,\"type\":\"INSERT\"}"u8 : "],\"old\":null,\"type\":\"DELETE\"}"u8);
        return 1;
    }
}
