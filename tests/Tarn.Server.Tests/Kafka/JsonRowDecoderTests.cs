using System.Text;
using CsCheck;
using Tarn.Server.Kafka;
using Tarn.Vectors;

namespace Tarn.Server.Tests.Kafka;

/// <summary>The Utf8JsonReader fast path of JSON topics stores exactly what the general (JsonDocument) path stores.</summary>
public sealed class JsonRowDecoderTests
{
    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly string[] Names = ["id", "ID", "n", "name", "Amount", "f", "flag", "d", "nn", "t", "other", "ñame"];

    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.Long.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Int[-300, 300].Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(v => double.IsFinite(v) ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e400"),
        Pick("1.5", "-0.0", "2e3", "12345678901234567890", "true", "false", "null", "{\"a\":[1,{}]}", "[1,2]", "\"2024-01-02\""),
        Gen.String.Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
        Pick("\"plain\"", "\"caf\u00e9\"", "\"tab\\tbed\"", "\"\\u00e9\"", "\"\\ud800\"", "\"12\""));

    private static readonly Gen<string> Json = Gen.Select(Gen.Select(Pick(Names), Value).Array[0, 5], Gen.Int[0, 9])
        .Select((fields, shape) =>
        {
            // shapes 6-9 start with a valid NOT NULL column, so many records can take the fast path
            var text = "{" + (shape >= 6 ? $"\"nn\":{shape}," : "") + string.Join(",", fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}";
            if (text.EndsWith(",}", StringComparison.Ordinal)) text = text[..^2] + "}";
            return shape switch
            {
                0 => text + " \n",
                1 => text + "x",
                2 => text[..^1],
                3 => "[" + text + "]",
                4 => text.Replace("\"id\"", "\"i\\u0064\"", StringComparison.Ordinal),
                _ => text,
            };
        });

    [Fact]
    public void Fast_path_appends_what_the_general_path_appends_or_defers_to_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-jsonrow-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var db = TarnDatabase.Open(dir);
            db.Execute("CREATE TABLE t (id BIGINT, n INT, name STRING, amount DOUBLE, f FLOAT, flag BOOLEAN, d DECIMAL(10, 2), nn SMALLINT NOT NULL, t TIMESTAMP(3))");
            var layout = new KafkaTopicLayout(db.CreateTableWriter("t"));
            var decoder = layout.JsonDecoder!;
            var fast = 0;
            Json.Sample(json =>
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                var a = Columns(layout);
                var b = Columns(layout);
                var outcome = decoder.TryAppend(bytes, a);
                var general = ProduceDecoder.AppendConverted(layout, b, false, default, true, bytes, false, default, 0);
                switch (outcome)
                {
                    case JsonRowDecoder.Outcome.Appended:
                        fast++;
                        Assert.Equal(KafkaErrors.None, general);
                        for (var c = 0; c < a.Length; c++) Assert.Equal(b[c].GetValue(0), a[c].GetValue(0));
                        break;
                    case JsonRowDecoder.Outcome.Invalid:
                        Assert.Equal(KafkaErrors.InvalidRecord, general);
                        break;
                }
            }, iter: 5000);
            Assert.True(fast > 50, $"only {fast} records took the fast path");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static ColumnVector[] Columns(KafkaTopicLayout layout)
    {
        var columns = new ColumnVector[layout.ColumnCount];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(layout.Types[c], 4);
        return columns;
    }
}
