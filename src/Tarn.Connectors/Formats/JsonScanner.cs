using System.Text;
using System.Text.Json;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Finds named fields in JSON objects without building a document: one pass of <see cref="Utf8JsonReader"/> over the
/// object records where each wanted field's value is (<see cref="JsonValueRef"/>); nested objects and arrays are
/// skipped over and kept as raw text. Field names match exactly (as in Flink), else ignoring case.
/// </summary>
internal sealed class JsonScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

    private readonly byte[][] _names;
    private readonly string[] _nameStrings;
    private byte[] _scratch = new byte[256];
    private int _scratchUsed;
    private int _hint;

    public JsonScanner(IReadOnlyList<string> names)
    {
        _nameStrings = [.. names];
        _names = new byte[names.Count][];
        for (var i = 0; i < names.Count; i++) _names[i] = Encoding.UTF8.GetBytes(names[i]);
    }

    public int FieldCount => _names.Length;

    /// <summary>Unescaped strings of the current message.</summary>
    public byte[] Scratch => _scratch;

    /// <summary>Forgets the unescaped strings of the previous message.</summary>
    public void Reset() => _scratchUsed = 0;

    /// <summary>The bytes of a located value (not for missing or null ones).</summary>
    public ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> message, in JsonValueRef value) =>
        value.InScratch ? _scratch.AsSpan(value.Start, value.Length) : message.Slice(value.Start, value.Length);

    /// <summary>
    /// Locates the wanted fields of the object at <paramref name="start"/>..<paramref name="end"/> of
    /// <paramref name="message"/> into <paramref name="found"/> (one per name). False with a reason when the text is
    /// not a JSON object.
    /// </summary>
    public bool TryLocate(ReadOnlySpan<byte> message, int start, int end, Span<JsonValueRef> found, out string? error)
    {
        found.Clear();
        error = null;
        try
        {
            var reader = new Utf8JsonReader(message[start..end], isFinalBlock: true, new JsonReaderState(ReaderOptions));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return false;
            }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    if (reader.Read()) { error = "text after the JSON object"; return false; }
                    return true;
                }
                var field = Match(ref reader);
                if (!reader.Read()) break;
                var tokenStart = (int)reader.TokenStartIndex;
                var token = reader.TokenType;
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (!reader.TrySkip()) break;
                    if (field >= 0) found[field] = new JsonValueRef { Token = token, Start = start + tokenStart, Length = (int)reader.BytesConsumed - tokenStart };
                    continue;
                }
                if (field < 0) continue;
                if (token == JsonTokenType.String && reader.ValueIsEscaped)
                {
                    var length = reader.ValueSpan.Length; // the unescaped text is never longer
                    if (_scratch.Length < _scratchUsed + length) Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchUsed + length));
                    var written = reader.CopyString(_scratch.AsSpan(_scratchUsed));
                    found[field] = new JsonValueRef { Token = token, Start = _scratchUsed, Length = written, InScratch = true };
                    _scratchUsed += written;
                }
                else
                {
                    var valueStart = token == JsonTokenType.String ? tokenStart + 1 : tokenStart;
                    found[field] = new JsonValueRef { Token = token, Start = start + valueStart, Length = reader.ValueSpan.Length };
                }
            }
            error = "the JSON text ends inside the object";
            return false;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The elements of the JSON array located by <paramref name="array"/>, as (start, end) pairs of objects; false when one is not an object.</summary>
    public static bool TryListObjects(ReadOnlySpan<byte> message, in JsonValueRef array, List<(int Start, int End)> objects, out string? error)
    {
        objects.Clear();
        error = null;
        try
        {
            var reader = new Utf8JsonReader(message.Slice(array.Start, array.Length), isFinalBlock: true, new JsonReaderState(ReaderOptions));
            reader.Read(); // [
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error = $"an array element is {reader.TokenType}, not an object";
                    return false;
                }
                var s = (int)reader.TokenStartIndex;
                reader.Skip();
                objects.Add((array.Start + s, array.Start + (int)reader.BytesConsumed));
            }
            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// The wanted field a property name is, or -1. Messages usually list fields in the same order, so the search
    /// starts after the last match; the case-insensitive fallback compares ASCII names without allocating.
    /// </summary>
    private int Match(ref Utf8JsonReader reader)
    {
        var n = _names.Length;
        if (n == 0) return -1;
        for (var k = 0; k < n; k++)
        {
            var i = _hint + k;
            if (i >= n) i -= n;
            if (!reader.ValueTextEquals(_names[i])) continue;
            _hint = i + 1 == n ? 0 : i + 1;
            return i;
        }
        if (!reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            if (Ascii.IsValid(span))
            {
                for (var i = 0; i < n; i++)
                    if (Ascii.EqualsIgnoreCase(span, _names[i])) return i;
                return -1;
            }
        }
        var name = reader.GetString();
        for (var i = 0; i < _nameStrings.Length; i++)
            if (string.Equals(_nameStrings[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
