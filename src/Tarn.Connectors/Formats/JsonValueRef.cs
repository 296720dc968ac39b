using System.Text.Json;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Where a located JSON value is: its token kind and its bytes, either in the message (numbers, plain strings without
/// the quotes, raw objects and arrays) or, for strings with escapes, unescaped in the scanner's scratch buffer.
/// <see cref="JsonTokenType.None"/> means the field was absent.
/// </summary>
internal struct JsonValueRef
{
    public JsonTokenType Token;
    public int Start;
    public int Length;
    public bool InScratch;

    public readonly bool IsMissing => Token == JsonTokenType.None;
}
