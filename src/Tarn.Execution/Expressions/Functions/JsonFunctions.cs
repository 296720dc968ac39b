using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// A compiled SQL/JSON path in lax mode: <c>$</c> followed by <c>.key</c>, <c>."key"</c>, <c>['key']</c> and
/// <c>[index]</c> steps (an optional <c>lax</c>/<c>strict</c> prefix; in strict mode a step that finds nothing is an
/// error rather than an empty result, which matters to ON EMPTY / ON ERROR).
/// </summary>
public sealed class JsonPath
{
    private readonly object[] _steps; // string = member, int = array index

    private JsonPath(string text, object[] steps, bool strict)
    {
        Text = text;
        _steps = steps;
        Strict = strict;
    }

    public bool Strict { get; }

    public string Text { get; }

    public static JsonPath Parse(string text)
    {
        var s = text.Trim();
        var strict = false;
        if (s.StartsWith("lax ", StringComparison.OrdinalIgnoreCase)) s = s[4..].TrimStart();
        else if (s.StartsWith("strict ", StringComparison.OrdinalIgnoreCase))
        {
            s = s[7..].TrimStart();
            strict = true;
        }
        if (s.Length == 0 || s[0] != '$') throw Bad(text);
        var steps = new List<object>();
        var i = 1;
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                i++;
                if (i < s.Length && s[i] == '[') continue; // $.["a.b"] as Flink's documentation writes it
                if (i < s.Length && s[i] == '"')
                {
                    var end = s.IndexOf('"', i + 1);
                    if (end < 0) throw Bad(text);
                    steps.Add(s[(i + 1)..end]);
                    i = end + 1;
                    continue;
                }
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '$')) i++;
                if (i == start) throw Bad(text);
                steps.Add(s[start..i]);
            }
            else if (s[i] == '[')
            {
                var end = s.IndexOf(']', i);
                if (end < 0) throw Bad(text);
                var inner = s[(i + 1)..end].Trim();
                if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0]) steps.Add(inner[1..^1]);
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) steps.Add(index);
                else throw Bad(text);
                i = end + 1;
            }
            else if (char.IsWhiteSpace(s[i])) i++;
            else throw Bad(text);
        }
        return new JsonPath(text, [.. steps], strict);
    }

    private static TarnException Bad(string text) => RowText.Invalid($"invalid JSON path '{text}'; supported: $, .key, ['key'], [index]");

    /// <summary>The element at this path, or false when some step does not exist.</summary>
    public bool TryFind(JsonElement root, out JsonElement found)
    {
        found = root;
        foreach (var step in _steps)
        {
            if (step is string key)
            {
                if (found.ValueKind != JsonValueKind.Object || !found.TryGetProperty(key, out found)) return false;
            }
            else
            {
                var index = (int)step;
                if (found.ValueKind != JsonValueKind.Array || index >= found.GetArrayLength()) return false;
                found = found[index];
            }
        }
        return true;
    }
}

/// <summary>JSON_VALUE, JSON_QUERY, JSON_EXISTS with Flink's defaults (NULL ON EMPTY, NULL ON ERROR; JSON_EXISTS:
/// FALSE ON ERROR). Invalid JSON text is an error handled by the ON ERROR default, not a failure.</summary>
public static class JsonFunctions
{
    private sealed class PathCache
    {
        private volatile JsonPath? _last;

        public JsonPath Get(string text)
        {
            var p = _last;
            if (p is not null && p.Text == text) return p;
            return _last = JsonPath.Parse(text);
        }
    }

    private static JsonDocument? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first token of <paramref name="json"/> when the whole text is one JSON value; else null.</summary>
    private static JsonTokenType? WholeJsonKind(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) return null;
            var kind = reader.TokenType;
            reader.Skip();
            return reader.Read() ? null : kind; // trailing content after the value throws or reads as a token
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        // JSON_VALUE: a scalar as text (JSON null, a missing path, an object or an array give NULL).
        f["JSON_VALUE"] = (c, a, _) =>
        {
            var paths = new PathCache();
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
            {
                var path = paths.Get(x.Text(1, i));
                using var doc = TryParse(x.Bytes(0, i));
                if (doc is null || !path.TryFind(doc.RootElement, out var e)) return false;
                switch (e.ValueKind)
                {
                    case JsonValueKind.String: RowText.Write(o, e.GetString()!); return true;
                    case JsonValueKind.Number: RowText.Write(o, e.GetRawText()); return true;
                    case JsonValueKind.True: o.Write("true"u8); return true;
                    case JsonValueKind.False: o.Write("false"u8); return true;
                    default: return false;
                }
            });
        };
        // JSON_QUERY: an object or array as compact JSON text (scalars and missing paths give NULL).
        f["JSON_QUERY"] = (c, a, _) =>
        {
            var paths = new PathCache();
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
            {
                var path = paths.Get(x.Text(1, i));
                using var doc = TryParse(x.Bytes(0, i));
                if (doc is null || !path.TryFind(doc.RootElement, out var e)) return false;
                if (e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return false;
                using var writer = new Utf8JsonWriter(o, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                e.WriteTo(writer);
                return true;
            });
        };
        // IS JSON [VALUE | SCALAR | ARRAY | OBJECT]: NULL and text that is not JSON of the kind give FALSE.
        f["IS_JSON"] = (c, a, _) =>
        {
            var kind = (c.Arguments[1] as Tarn.Planner.Expressions.BoundLiteral)?.Value as string ?? "VALUE";
            return new ValueRowFunction<bool>(a, c.Type, (in RowArgs x, int i, out bool r) =>
            {
                r = !x.IsNull(0, i) && WholeJsonKind(x.Bytes(0, i)) is { } k && kind switch
                {
                    "SCALAR" => k is not (JsonTokenType.StartObject or JsonTokenType.StartArray),
                    "ARRAY" => k == JsonTokenType.StartArray,
                    "OBJECT" => k == JsonTokenType.StartObject,
                    _ => true,
                };
                return true;
            }, strict: false);
        };
        // Behind JSON_VALUE ... RETURNING / ON EMPTY / ON ERROR (Binder.Json): 0 a scalar, 1 JSON null, 2 nothing at the
        // path, 3 an error (not JSON, or an object or array where a scalar is needed); NULL input counts as JSON null.
        f["$JSON_VALUE_STATUS"] = (c, a, _) =>
        {
            var paths = new PathCache();
            return new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
            {
                r = 1;
                if (x.IsNull(0, i) || x.IsNull(1, i)) return true;
                var path = paths.Get(x.Text(1, i));
                using var doc = TryParse(x.Bytes(0, i));
                if (doc is null) r = 3;
                else if (!path.TryFind(doc.RootElement, out var e)) r = path.Strict ? 3 : 2;
                else r = e.ValueKind switch
                {
                    JsonValueKind.Null => 1,
                    JsonValueKind.Object or JsonValueKind.Array => 3,
                    _ => 0,
                };
                return true;
            }, strict: false);
        };
        f["JSON_EXISTS"] = (c, a, _) =>
        {
            var paths = new PathCache();
            return new ValueRowFunction<bool>(a, c.Type, (in RowArgs x, int i, out bool r) =>
            {
                var path = paths.Get(x.Text(1, i));
                using var doc = TryParse(x.Bytes(0, i));
                r = doc is not null && path.TryFind(doc.RootElement, out var found) && found.ValueKind != JsonValueKind.Undefined;
                return true;
            });
        };
    }
}
