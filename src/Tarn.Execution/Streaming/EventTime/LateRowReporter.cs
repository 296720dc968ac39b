using System.Text.Json;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// Turns one operator's late rows into rows of the late-row table (<see cref="LateRowSchema"/>) and pushes them into
/// the job's late-row sink, which commits them in the same epoch commit as the job's other output (so a replay after
/// a crash writes each late row once). Late rows are rare, so this path favours clarity over speed.
/// </summary>
public sealed class LateRowReporter(string jobId, string operatorName, IReadOnlyList<string> inputColumns, IChangeConsumer sink)
{
    public string OperatorName => operatorName;

    /// <summary>
    /// Reports rows <paramref name="late"/> of <paramref name="rows"/>; <paramref name="eventMillis"/> holds each late
    /// row's event time (parallel to <paramref name="late"/>, milliseconds since the epoch) and
    /// <paramref name="watermarkMillis"/> the watermark that made them late.
    /// </summary>
    public void Report(ColumnBatch rows, ReadOnlySpan<int> late, ReadOnlySpan<long> eventMillis, long watermarkMillis)
    {
        var n = late.Length;
        if (n == 0) return;
        var job = new BinaryVector(DataType.String, n);
        var op = new BinaryVector(DataType.String, n);
        var eventTime = new PrimitiveVector<long>(LateRowSchema.Time, n);
        var watermark = new PrimitiveVector<long>(LateRowSchema.Time, n);
        var data = new BinaryVector(DataType.String, n);
        for (var i = 0; i < n; i++)
        {
            job.Append(jobId);
            op.Append(operatorName);
            AppendMillis(eventTime, eventMillis[i]);
            AppendMillis(watermark, watermarkMillis);
            data.Append(Json(rows, late[i]));
        }
        sink.Push(new ChangeBatch(new ColumnBatch([job, op, eventTime, watermark, data], n)));
    }

    /// <summary>TIMESTAMP(3) values are stored as microseconds; the sentinel watermarks (none yet / end of input) become NULL.</summary>
    private static void AppendMillis(PrimitiveVector<long> v, long millis)
    {
        if (millis is long.MinValue or long.MaxValue || millis > long.MaxValue / 1000 || millis < long.MinValue / 1000) v.AppendNull();
        else v.Append(millis * 1000);
    }

    private string Json(ColumnBatch rows, int row)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var count = Math.Min(inputColumns.Count, rows.ColumnCount);
            for (var c = 0; c < count; c++)
            {
                var v = rows.Columns[c];
                w.WritePropertyName(inputColumns[c]);
                if (v.IsNull(row)) { w.WriteNullValue(); continue; }
                var value = Vectors.PhysicalValues.Get(v, row);
                switch (v.Type.Kind)
                {
                    case TypeKind.Boolean:
                        w.WriteBooleanValue((bool)value!);
                        break;
                    case TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt:
                        w.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case TypeKind.Double when value is double d && double.IsFinite(d):
                        w.WriteNumberValue(d);
                        break;
                    case TypeKind.Decimal:
                        w.WriteRawValue(ValueFormatter.FormatPhysical(v.Type, value)!);
                        break;
                    default:
                        w.WriteStringValue(ValueFormatter.FormatPhysical(v.Type, value));
                        break;
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
