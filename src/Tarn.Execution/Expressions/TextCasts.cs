using System.Globalization;
using System.Numerics;
using System.Text;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>Renders one value as SQL text (Flink's CAST(x AS STRING) form).</summary>
public interface IValueFormatter<T>
{
    string Format(T value);
}

public readonly struct IntegerText<T> : IValueFormatter<T> where T : IBinaryInteger<T>
{
    public string Format(T value) => value.ToString(null, CultureInfo.InvariantCulture);
}

public readonly struct DoubleText : IValueFormatter<double>
{
    public string Format(double value) => NumberText.FormatDouble(value);
}

public readonly struct FloatText : IValueFormatter<float>
{
    public string Format(float value) => NumberText.FormatFloat(value);
}

public readonly struct BooleanText : IValueFormatter<bool>
{
    public string Format(bool value) => value ? "TRUE" : "FALSE";
}

public readonly struct DecimalText<T>(int scale) : IValueFormatter<T> where T : IBinaryInteger<T>
{
    public string Format(T value) => NumberText.FormatDecimal(Int128.CreateTruncating(value), scale);
}

public readonly struct DateText : IValueFormatter<int>
{
    public string Format(int value) => DateTimeText.FormatDate(value);
}

public readonly struct TimeText(DataType type) : IValueFormatter<long>
{
    public string Format(long value) => DateTimeText.FormatTime(value, type);
}

/// <summary>TIMESTAMP text; for TIMESTAMP_LTZ the instant is shown in the session zone (as Flink does).</summary>
public readonly struct TimestampText(DataType type, TimeZoneInfo? zone) : IValueFormatter<long>
{
    public string Format(long value)
    {
        if (zone is not null && zone != TimeZoneInfo.Utc)
        {
            var upm = type.Precision > 6 ? 1000L : 1L;
            var micros = CivilDate.FloorDiv(value, upm);
            value += (TimeZones.UtcToLocalMicros(micros, zone) - micros) * upm;
        }
        return DateTimeText.FormatTimestamp(value, type);
    }
}

public readonly struct IntervalText : IValueFormatter<long>
{
    public string Format(long value) => ValueFormatting.FormatInterval(value, yearMonth: false);
}

public readonly struct IntervalMonthsText : IValueFormatter<int>
{
    public string Format(int value) => ValueFormatting.FormatInterval(value, yearMonth: true);
}

/// <summary>Casts a primitive vector to VARCHAR text.</summary>
public sealed class FormatCast<T, TFormatter>(VectorExpression input, DataType type, TFormatter formatter) : VectorExpression(type)
    where T : unmanaged where TFormatter : struct, IValueFormatter<T>
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = (PrimitiveVector<T>)input.Evaluate(batch);
        var src = v.Values;
        var nulls = v.Nulls;
        var result = new BinaryVector(Type, n, n * 8);
        var f = formatter;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) result.AppendNull();
            else result.Append(f.Format(src[i]));
        }
        return result;
    }
}

/// <summary>Parses one text value; <see cref="ParseStatus"/> tells invalid input from out-of-range.</summary>
public interface IValueParser<T>
{
    ParseStatus Parse(ReadOnlySpan<byte> text, out T value);
}

public readonly struct IntegerParser<T>(long min, long max) : IValueParser<T> where T : IBinaryInteger<T>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out T value)
    {
        var s = NumberText.TryParseInteger(text, min, max, out var v);
        value = T.CreateTruncating(v);
        return s;
    }
}

public readonly struct DoubleParser : IValueParser<double>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out double value) => NumberText.TryParseDouble(text, out value);
}

public readonly struct FloatParser : IValueParser<float>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out float value)
    {
        var s = NumberText.TryParseDouble(text, out var d);
        value = (float)d;
        return s;
    }
}

public readonly struct DecimalParser<T>(int precision, int scale) : IValueParser<T> where T : IBinaryInteger<T>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out T value)
    {
        var s = NumberText.TryParseDecimal(text, precision, scale, out var v);
        value = T.CreateTruncating(v);
        return s;
    }
}

public readonly struct BooleanParser : IValueParser<bool>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out bool value) => NumberText.TryParseBoolean(text, out value);
}

public readonly struct DateParser : IValueParser<int>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out int value) =>
        DateTimeText.TryParseDate(text, out value) ? ParseStatus.Ok : ParseStatus.Invalid;
}

public readonly struct TimeParser(DataType type) : IValueParser<long>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out long value) =>
        DateTimeText.TryParseTime(text, type, out value) ? ParseStatus.Ok : ParseStatus.Invalid;
}

public readonly struct TimestampParser(DataType type, TimeZoneInfo zone) : IValueParser<long>
{
    public ParseStatus Parse(ReadOnlySpan<byte> text, out long value) =>
        DateTimeText.TryParseTimestamp(text, type, zone, out value) ? ParseStatus.Ok : ParseStatus.Invalid;
}

/// <summary>Casts text to a primitive type: invalid text raises 22P02 naming the value, out-of-range 22003; with
/// <c>nullOnError</c> (TRY_CAST) both give NULL.</summary>
public sealed class ParseCast<T, TParser>(VectorExpression input, DataType type, TParser parser, bool nullOnError) : VectorExpression(type)
    where T : unmanaged where TParser : struct, IValueParser<T>
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = input.Evaluate(batch);
        var view = new StringView(v);
        var nulls = NullMask.Copy(v.Nulls, n);
        var values = new T[Math.Max(n, 1)];
        var p = parser;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) continue;
            var text = view.Get(i);
            var status = p.Parse(text, out values[i]);
            if (status == ParseStatus.Ok) continue;
            if (nullOnError) { (nulls ??= new byte[Math.Max(n, 1)])[i] = 1; continue; }
            if (status == ParseStatus.OutOfRange)
                throw Type.IsTemporal ? EvalErrors.DatetimeOverflow(Type) : EvalErrors.OutOfRange(Type);
            throw EvalErrors.InvalidText(Type, text);
        }
        return new PrimitiveVector<T>(Type, values, n, nulls);
    }
}

/// <summary>
/// Fits text (or bytes) to a length-limited type: CHAR(n) is blank-padded to n characters; a longer value is
/// truncated (explicit CAST, as Flink) or rejected with 22001 (assignment, as PostgreSQL — unless only spaces are
/// cut). Lengths count characters for text and bytes for binary.
/// </summary>
public sealed class ResizeCast(VectorExpression input, DataType type, bool rejectTooLong, bool nullOnError) : VectorExpression(type)
{
    private readonly bool _pad = type.Kind is TypeKind.Char or TypeKind.Binary;
    private readonly bool _text = type.IsString;

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = input.Evaluate(batch);
        var view = new StringView(v);
        var nulls = NullMask.Copy(v.Nulls, n);
        var result = new BinaryVector(Type, n);
        var length = Type.Length;
        for (var i = 0; i < n; i++)
        {
            if (nulls is not null && nulls[i] != 0) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var s = view.Get(i);
            var count = _text ? Utf8Text.CharCount(s) : s.Length;
            if (count > length)
            {
                var cut = _text ? Utf8Text.ByteOffsetOfChar(s, length) : length;
                if (rejectTooLong && s[cut..].ContainsAnyExcept((byte)' '))
                {
                    if (nullOnError) { (nulls ??= new byte[Math.Max(n, 1)])[i] = 1; result.Append(ReadOnlySpan<byte>.Empty); continue; }
                    throw new TarnException(SqlStates.StringDataRightTruncation, $"value too long for type {Type.WithNullable(true).ToSql()}");
                }
                result.Append(s[..cut]);
            }
            else if (_pad && count < length)
            {
                var padded = new byte[s.Length + (length - count)];
                s.CopyTo(padded);
                padded.AsSpan(s.Length).Fill(_text ? (byte)' ' : (byte)0);
                result.Append(padded);
            }
            else result.Append(s);
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>Same physical values under another type (CHAR → VARCHAR, VARCHAR ↔ BYTES, INT as DATE ...).</summary>
public sealed class RetypeExpression(VectorExpression input, DataType type) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch) => PhysicalValues.Retype(input.Evaluate(batch), Type);
}

/// <summary>Shared text forms used by casts and the value formatter.</summary>
public static class ValueFormatting
{
    /// <summary>INTERVAL text as Flink prints it: <c>+1 02:03:04.000</c> (day-time) or <c>+1-02</c> (year-month).</summary>
    public static string FormatInterval(long value, bool yearMonth)
    {
        var sign = value < 0 ? "-" : "+";
        var abs = value == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(value);
        if (yearMonth) return $"{sign}{abs / 12}-{abs % 12:00}";
        var micros = abs % 1_000_000;
        var seconds = abs / 1_000_000;
        var sb = new StringBuilder();
        sb.Append(sign).Append(seconds / 86400).Append(' ')
            .Append((seconds / 3600 % 24).ToString("00", CultureInfo.InvariantCulture)).Append(':')
            .Append((seconds / 60 % 60).ToString("00", CultureInfo.InvariantCulture)).Append(':')
            .Append((seconds % 60).ToString("00", CultureInfo.InvariantCulture)).Append('.')
            .Append((micros / 1000).ToString("000", CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
