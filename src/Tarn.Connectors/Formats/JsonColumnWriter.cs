using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Tarn.Connectors.FileSystem;
using Tarn.Types;

namespace Tarn.Connectors.Formats;

/// <summary>Flink's <c>json.timestamp-format.standard</c>: how TIMESTAMP text separates date and time.</summary>
internal enum TimestampStandard : byte
{
    /// <summary><c>yyyy-MM-dd HH:mm:ss.s{precision}</c> (Flink's default).</summary>
    Sql,

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.s{precision}</c>.</summary>
    Iso8601,
}

/// <summary>
/// Appends located JSON values to typed columns the way Flink's JSON formats convert them: strings and numbers parse
/// into the column's type (so <c>"42"</c> fills an INT column, as canal-json needs), booleans fill BOOLEAN columns,
/// objects and arrays fill STRING columns with their JSON text, BYTES come from base64 strings and timestamps follow
/// <see cref="TimestampStandard"/>.
/// </summary>
internal sealed class JsonColumnWriter(JsonScanner scanner, IReadOnlyList<string> names, CsvColumnBuilder?[] builders, TimestampStandard standard, bool ignoreErrors)
{
    private static ReadOnlySpan<byte> TrueText => "true"u8;
    private static ReadOnlySpan<byte> FalseText => "false"u8;
    private byte[] _decoded = new byte[64];

    /// <summary>Appends one row from <paramref name="values"/> (one per field) to the wanted columns.</summary>
    public void AppendRow(ReadOnlySpan<byte> message, ReadOnlySpan<JsonValueRef> values)
    {
        for (var f = 0; f < builders.Length; f++)
        {
            var builder = builders[f];
            if (builder is null) continue;
            var value = values[f];
            if (value.Token is JsonTokenType.None or JsonTokenType.Null) { builder.AppendNull(); continue; }
            if (TryAppend(builder, message, value)) continue;
            if (ignoreErrors) { builder.AppendNull(); continue; }
            var text = value.Token is JsonTokenType.True ? "true" : value.Token is JsonTokenType.False ? "false"
                : System.Text.Encoding.UTF8.GetString(Shorten(scanner.Bytes(message, value)));
            throw new RowDecodeException($"field '{names[f]}': {Describe(value.Token)} {text} is not a valid {builder.Type.WithNullable(true).ToSql()}");
        }
    }

    private bool TryAppend(CsvColumnBuilder builder, ReadOnlySpan<byte> message, JsonValueRef value)
    {
        var type = builder.Type;
        switch (value.Token)
        {
            case JsonTokenType.True:
                return type.Kind is TypeKind.Boolean || type.IsString ? builder.TryAppend(TrueText) : false;
            case JsonTokenType.False:
                return type.Kind is TypeKind.Boolean || type.IsString ? builder.TryAppend(FalseText) : false;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                return type.IsString && builder.TryAppend(scanner.Bytes(message, value));
            case JsonTokenType.Number:
                return !type.IsTemporal && !type.IsBinary && builder.TryAppend(scanner.Bytes(message, value));
        }
        var text = scanner.Bytes(message, value);
        if (type.IsBinary) return TryAppendBase64(builder, text);
        if (type.IsTimestamp && !SeparatorFits(text)) return false;
        return builder.TryAppend(text);
    }

    /// <summary>The character between date and time must be the standard's (a bare date is fine for both).</summary>
    private bool SeparatorFits(ReadOnlySpan<byte> text)
    {
        if (text.Length <= 10) return true;
        return text[10] == (standard == TimestampStandard.Sql ? (byte)' ' : (byte)'T');
    }

    private bool TryAppendBase64(CsvColumnBuilder builder, ReadOnlySpan<byte> text)
    {
        var max = Base64.GetMaxDecodedFromUtf8Length(text.Length);
        if (_decoded.Length < max) _decoded = new byte[Math.Max(max, _decoded.Length * 2)];
        if (Base64.DecodeFromUtf8(text, _decoded, out _, out var written) != OperationStatus.Done) return false;
        return builder.TryAppend(_decoded.AsSpan(0, written));
    }

    private static ReadOnlySpan<byte> Shorten(ReadOnlySpan<byte> text) => text.Length > 100 ? text[..100] : text;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => "value",
    };

    public static TimestampStandard ParseStandard(FormatOptions options) => options.Get("timestamp-format.standard") switch
    {
        null => TimestampStandard.Sql,
        { } s when s.Equals("SQL", StringComparison.OrdinalIgnoreCase) => TimestampStandard.Sql,
        { } s when s.Equals("ISO-8601", StringComparison.OrdinalIgnoreCase) => TimestampStandard.Iso8601,
        { } s => throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: '{options.Format}.timestamp-format.standard' must be 'SQL' or 'ISO-8601', got '{s}'"),
    };
}
