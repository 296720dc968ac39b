using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.Kafka;

/// <summary>
/// The fast path for the JSON values of a topic without a key: reads a record's object with <see cref="Utf8JsonReader"/>
/// straight into the column vectors (no <see cref="JsonDocument"/>, no boxed values, no strings for ASCII property
/// names). Thread-safe: it keeps no per-record state. It takes only what it converts exactly as the general path (<c>ProduceDecoder.AppendConverted</c>) would:
/// numbers into integer / float columns, unescaped valid UTF-8 strings into string columns, booleans, nulls and missing
/// fields. Anything else (another token for a column, escaped strings or names, trailing bytes, malformed JSON) answers
/// <see cref="Outcome.Fallback"/> before anything is appended, and the caller takes the general path for that record.
/// </summary>
internal sealed class JsonRowDecoder
{
    internal enum Outcome
    {
        Appended,
        Fallback,
        Invalid,
    }

    private enum Target : byte
    {
        Other,
        Boolean,
        TinyInt,
        SmallInt,
        Int,
        BigInt,
        Float,
        Double,
        String,
    }

    private struct Slot
    {
        public JsonTokenType Token; // None: missing
        public long Long;
        public double Double;
        public bool IsLong;
        public int Start;
        public int Length;
    }

    private readonly byte[][] _names;
    private readonly Target[] _targets;
    private readonly bool[] _nullable;
    private readonly int _recordTimestampColumn; // filled from the record timestamp when the value leaves it out

    private JsonRowDecoder(KafkaTopicLayout layout)
    {
        var n = layout.ColumnCount;
        _names = new byte[n][];
        _targets = new Target[n];
        _nullable = new bool[n];
        _recordTimestampColumn = layout.TimestampColumn;
        for (var c = 0; c < n; c++)
        {
            _names[c] = Encoding.UTF8.GetBytes(layout.Names[c]);
            _nullable[c] = layout.Types[c].Nullable;
            _targets[c] = layout.Types[c].Kind switch
            {
                TypeKind.Boolean => Target.Boolean,
                TypeKind.TinyInt => Target.TinyInt,
                TypeKind.SmallInt => Target.SmallInt,
                TypeKind.Int => Target.Int,
                TypeKind.BigInt => Target.BigInt,
                TypeKind.Float => Target.Float,
                TypeKind.Double => Target.Double,
                TypeKind.Char or TypeKind.Varchar => Target.String,
                _ => Target.Other,
            };
        }
    }

    /// <summary>A decoder for a JSON topic without key columns whose column names are ASCII, else null.</summary>
    public static JsonRowDecoder? For(KafkaTopicLayout layout)
    {
        if (layout.IsSchemaless || layout.IsKeyed) return null;
        foreach (var name in layout.Names)
            if (!Ascii.IsValid(name)) return null;
        return new JsonRowDecoder(layout);
    }

    public Outcome TryAppend(ReadOnlySpan<byte> json, ColumnVector[] columns)
    {
        // Per call (the decoder is shared by every connection producing to the topic).
        var slots = _names.Length <= 64 ? stackalloc Slot[_names.Length] : new Slot[_names.Length];
        slots.Clear();
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Outcome.Fallback;
            while (true)
            {
                if (!reader.Read()) return Outcome.Fallback;
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.ValueIsEscaped || reader.HasValueSequence) return Outcome.Fallback;
                var c = Find(reader.ValueSpan);
                if (c < 0 && !Ascii.IsValid(reader.ValueSpan)) return Outcome.Fallback; // case-insensitive matching of non-ASCII names
                if (!reader.Read()) return Outcome.Fallback;
                if (c < 0)
                {
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    continue;
                }
                ref var slot = ref slots[c];
                slot.Token = reader.TokenType;
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null or JsonTokenType.True or JsonTokenType.False:
                        break;
                    case JsonTokenType.Number:
                        slot.IsLong = reader.TryGetInt64(out slot.Long);
                        if (!slot.IsLong && !reader.TryGetDouble(out slot.Double)) return Outcome.Fallback;
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped) return Outcome.Fallback;
                        slot.Start = (int)reader.TokenStartIndex + 1;
                        slot.Length = reader.ValueSpan.Length;
                        break;
                    default:
                        return Outcome.Fallback; // objects / arrays: their raw text, on the general path
                }
            }
            if (reader.BytesConsumed != json.Length && !OnlyWhitespace(json[(int)reader.BytesConsumed..])) return Outcome.Fallback;
        }
        catch (JsonException)
        {
            return Outcome.Fallback;
        }

        // Check every column before appending any, so a fallback never leaves a half-appended row.
        for (var c = 0; c < slots.Length; c++)
        {
            ref var slot = ref slots[c];
            switch (slot.Token)
            {
                case JsonTokenType.None or JsonTokenType.Null:
                    if (c == _recordTimestampColumn) return Outcome.Fallback; // the general path takes the record timestamp
                    if (!_nullable[c]) return Outcome.Invalid;
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    if (_targets[c] != Target.Boolean) return Outcome.Fallback;
                    break;
                case JsonTokenType.Number:
                    if (!FitsNumber(_targets[c], slot)) return Outcome.Fallback;
                    break;
                case JsonTokenType.String:
                    if (_targets[c] != Target.String || !Utf8.IsValid(json.Slice(slot.Start, slot.Length))) return Outcome.Fallback;
                    break;
            }
        }
        for (var c = 0; c < slots.Length; c++)
        {
            ref var slot = ref slots[c];
            var column = columns[c];
            switch (slot.Token)
            {
                case JsonTokenType.None or JsonTokenType.Null: column.AppendNull(); break;
                case JsonTokenType.True: ((PrimitiveVector<bool>)column).Append(true); break;
                case JsonTokenType.False: ((PrimitiveVector<bool>)column).Append(false); break;
                case JsonTokenType.String: ((BinaryVector)column).Append(json.Slice(slot.Start, slot.Length)); break;
                case JsonTokenType.Number:
                    switch (_targets[c])
                    {
                        case Target.TinyInt: ((PrimitiveVector<sbyte>)column).Append((sbyte)slot.Long); break;
                        case Target.SmallInt: ((PrimitiveVector<short>)column).Append((short)slot.Long); break;
                        case Target.Int: ((PrimitiveVector<int>)column).Append((int)slot.Long); break;
                        case Target.BigInt: ((PrimitiveVector<long>)column).Append(slot.Long); break;
                        case Target.Float: ((PrimitiveVector<float>)column).Append(slot.IsLong ? slot.Long : (float)slot.Double); break;
                        default: ((PrimitiveVector<double>)column).Append(slot.IsLong ? slot.Long : slot.Double); break;
                    }
                    break;
            }
        }
        return Outcome.Appended;
    }

    /// <summary>Integers (in range) into integer columns, any number into float columns; what would be rounded goes the general way.</summary>
    private static bool FitsNumber(Target target, in Slot slot) => target switch
    {
        Target.TinyInt => slot.IsLong && slot.Long is >= sbyte.MinValue and <= sbyte.MaxValue,
        Target.SmallInt => slot.IsLong && slot.Long is >= short.MinValue and <= short.MaxValue,
        Target.Int => slot.IsLong && slot.Long is >= int.MinValue and <= int.MaxValue,
        Target.BigInt => slot.IsLong,
        Target.Float or Target.Double => true,
        _ => false,
    };

    private int Find(ReadOnlySpan<byte> name)
    {
        for (var c = 0; c < _names.Length; c++)
            if (Ascii.EqualsIgnoreCase(name, _names[c])) return c;
        return -1;
    }

    private static bool OnlyWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }
}
