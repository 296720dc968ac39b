using System.Text;
using System.Text.Json;
using Tarn.Types;

namespace Tarn.Connectors.Formats;

/// <summary>How one column is written in Avro (Flink's AvroSchemaConverter mapping).</summary>
internal enum AvroKind : byte
{
    Boolean, Int, Long, Float, Double, String, Bytes, Decimal, Date, TimeMillis, TimestampMillis, TimestampMicros,
}

/// <summary>One field of an Avro record: its kind, and which branch of a <c>["null", T]</c> union is null (-1: not nullable).</summary>
internal readonly record struct AvroField(string Name, AvroKind Kind, int NullBranch, int Precision = 0, int Scale = 0);

/// <summary>
/// The Avro schema of a table's columns, derived as Flink derives it: a record <c>record</c> in namespace
/// <c>org.apache.flink.avro.generated</c>; CHAR/VARCHAR → string, BINARY/VARBINARY → bytes, BOOLEAN → boolean,
/// TINYINT/SMALLINT/INT → int, BIGINT → long, FLOAT → float, DOUBLE → double, DECIMAL(p, s) → bytes with logical type
/// decimal, DATE → int date, TIME → int time-millis, TIMESTAMP / TIMESTAMP_LTZ(p ≤ 3) → long timestamp-millis,
/// (p &gt; 3) → long timestamp-micros (Flink's legacy timestamp mapping, its default); a nullable column is the union
/// <c>["null", T]</c> with default null.
/// </summary>
internal static class AvroSchema
{
    public static AvroField[] Fields(IReadOnlyList<string> names, IReadOnlyList<DataType> types, string owner)
    {
        var fields = new AvroField[names.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var type = types[i];
            var kind = type.Kind switch
            {
                TypeKind.Boolean => AvroKind.Boolean,
                TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int => AvroKind.Int,
                TypeKind.BigInt => AvroKind.Long,
                TypeKind.Float => AvroKind.Float,
                TypeKind.Double => AvroKind.Double,
                TypeKind.Char or TypeKind.Varchar => AvroKind.String,
                TypeKind.Binary or TypeKind.Varbinary => AvroKind.Bytes,
                TypeKind.Decimal => AvroKind.Decimal,
                TypeKind.Date => AvroKind.Date,
                TypeKind.Time => AvroKind.TimeMillis,
                TypeKind.Timestamp or TypeKind.TimestampLtz => type.Precision <= 3 ? AvroKind.TimestampMillis : AvroKind.TimestampMicros,
                _ => throw new TarnException(SqlStates.FeatureNotSupported, $"{owner}: the avro format cannot map {type.ToSql()} columns ('{names[i]}')"),
            };
            fields[i] = new AvroField(names[i], kind, type.Nullable ? 0 : -1, type.Precision, type.Scale);
        }
        return fields;
    }

    /// <summary>The schema's JSON (what Flink's AvroSchemaConverter.convertToSchema writes for the row type).</summary>
    public static string ToJson(IReadOnlyList<AvroField> fields, string name = "record", string? space = "org.apache.flink.avro.generated")
    {
        var sb = new StringBuilder("{\"type\":\"record\",\"name\":").Append(JsonSerializer.Serialize(name));
        if (space is not null) sb.Append(",\"namespace\":").Append(JsonSerializer.Serialize(space));
        sb.Append(",\"fields\":[");
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (i > 0) sb.Append(',');
            sb.Append("{\"name\":").Append(JsonSerializer.Serialize(f.Name)).Append(",\"type\":");
            if (f.NullBranch >= 0) sb.Append("[\"null\",");
            sb.Append(f.Kind switch
            {
                AvroKind.Boolean => "\"boolean\"",
                AvroKind.Int => "\"int\"",
                AvroKind.Long => "\"long\"",
                AvroKind.Float => "\"float\"",
                AvroKind.Double => "\"double\"",
                AvroKind.String => "\"string\"",
                AvroKind.Bytes => "\"bytes\"",
                AvroKind.Decimal => $"{{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":{f.Precision},\"scale\":{f.Scale}}}",
                AvroKind.Date => "{\"type\":\"int\",\"logicalType\":\"date\"}",
                AvroKind.TimeMillis => "{\"type\":\"int\",\"logicalType\":\"time-millis\"}",
                AvroKind.TimestampMillis => "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}",
                _ => "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}",
            });
            if (f.NullBranch >= 0) sb.Append("],\"default\":null");
            sb.Append('}');
        }
        return sb.Append("]}").ToString();
    }

    /// <summary>
    /// The fields of a writer's record schema (JSON), or null with the reason when it is not a flat record of the kinds
    /// above (nested records, arrays, maps, enums and fixed are not read).
    /// </summary>
    public static AvroField[]? Parse(string json, out string? reason)
    {
        reason = null;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.GetString() != "record" || !root.TryGetProperty("fields", out var fs))
        {
            reason = "the schema is not a record";
            return null;
        }
        var fields = new List<AvroField>();
        foreach (var f in fs.EnumerateArray())
        {
            var name = f.GetProperty("name").GetString()!;
            var type = f.GetProperty("type");
            var nullBranch = -1;
            if (type.ValueKind == JsonValueKind.Array)
            {
                var branches = type.EnumerateArray().ToArray();
                if (branches.Length != 2) { reason = $"field '{name}' is a union of {branches.Length} types"; return null; }
                nullBranch = IsNull(branches[0]) ? 0 : IsNull(branches[1]) ? 1 : -2;
                if (nullBranch < 0) { reason = $"field '{name}' is a union without null"; return null; }
                type = branches[1 - nullBranch];
            }
            if (KindOf(type, out var precision, out var scale) is not { } kind) { reason = $"field '{name}' has the unsupported type {type.GetRawText()}"; return null; }
            fields.Add(new AvroField(name, kind, nullBranch, precision, scale));
        }
        return [.. fields];
    }

    private static bool IsNull(JsonElement e) =>
        (e.ValueKind == JsonValueKind.String && e.GetString() == "null") ||
        (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null");

    private static AvroKind? KindOf(JsonElement type, out int precision, out int scale)
    {
        precision = scale = 0;
        string? logical = null;
        string? primitive;
        if (type.ValueKind == JsonValueKind.String) primitive = type.GetString();
        else if (type.ValueKind == JsonValueKind.Object && type.TryGetProperty("type", out var p) && p.ValueKind == JsonValueKind.String)
        {
            primitive = p.GetString();
            if (type.TryGetProperty("logicalType", out var l)) logical = l.GetString();
            if (type.TryGetProperty("precision", out var pr)) precision = pr.GetInt32();
            if (type.TryGetProperty("scale", out var sc)) scale = sc.GetInt32();
        }
        else return null;
        return (primitive, logical) switch
        {
            ("boolean", _) => AvroKind.Boolean,
            ("int", "date") => AvroKind.Date,
            ("int", "time-millis") => AvroKind.TimeMillis,
            ("int", _) => AvroKind.Int,
            ("long", "timestamp-millis") => AvroKind.TimestampMillis,
            ("long", "timestamp-micros") => AvroKind.TimestampMicros,
            ("long", _) => AvroKind.Long,
            ("float", _) => AvroKind.Float,
            ("double", _) => AvroKind.Double,
            ("string", _) => AvroKind.String,
            ("bytes", "decimal") => AvroKind.Decimal,
            ("bytes", _) => AvroKind.Bytes,
            _ => null,
        };
    }
}
