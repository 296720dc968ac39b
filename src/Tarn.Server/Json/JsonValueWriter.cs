using System.Globalization;
using System.Text.Json;

namespace Tarn.Server.Json;

/// <summary>
/// One SQL value as JSON, the same way for every endpoint that answers in JSON (Kafka JSON topics, the HTTP SQL
/// endpoint): numbers as numbers (non-finite floats as strings), BYTES as base64, temporal values as ISO 8601.
/// </summary>
internal static class JsonValueWriter
{
    public static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case short s: w.WriteNumberValue(s); break;
            case sbyte sb: w.WriteNumberValue(sb); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case string s: w.WriteStringValue(s); break;
            case byte[] bytes: w.WriteBase64StringValue(bytes); break;
            case DateTime dt: w.WriteStringValue(dt); break;
            case DateTimeOffset dto: w.WriteStringValue(dto); break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""); break;
        }
    }
}
