using System.Runtime.CompilerServices;
using Tarn.Execution.Text;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Parses the text of one CSV column straight from the file's bytes into a typed column vector: numbers and dates
/// never become strings. Plain decimals, integers and <c>yyyy-mm-dd</c> dates take a fast path; anything else goes
/// through the same parsers as <c>CAST(text AS type)</c>.
/// </summary>
internal sealed class CsvColumnBuilder
{
    private enum Kind : byte { Bool, Int8, Int16, Int32, Int64, Decimal64, Decimal128, Float32, Float64, Date, Time, Timestamp, Text, Bytes }

    private readonly Kind _kind;
    private readonly DataType _type;
    private readonly TimeZoneInfo _zone;
    private readonly long _min;
    private readonly long _max;
    private readonly long _decimalLimit;
    private ColumnVector _vector;

    public CsvColumnBuilder(DataType type, TimeZoneInfo zone, int capacity)
    {
        _type = type;
        _zone = zone;
        _kind = type.Kind switch
        {
            TypeKind.Boolean => Kind.Bool,
            TypeKind.TinyInt => Kind.Int8,
            TypeKind.SmallInt => Kind.Int16,
            TypeKind.Int => Kind.Int32,
            TypeKind.BigInt => Kind.Int64,
            TypeKind.Decimal => type.Precision <= 18 ? Kind.Decimal64 : Kind.Decimal128,
            TypeKind.Float => Kind.Float32,
            TypeKind.Double => Kind.Float64,
            TypeKind.Date => Kind.Date,
            TypeKind.Time => Kind.Time,
            TypeKind.Timestamp or TypeKind.TimestampLtz => Kind.Timestamp,
            TypeKind.Char or TypeKind.Varchar => Kind.Text,
            TypeKind.Binary or TypeKind.Varbinary => Kind.Bytes,
            _ => throw new TarnException(SqlStates.FeatureNotSupported, $"the csv format cannot read {type.ToSql()} columns"),
        };
        (_min, _max) = _kind switch
        {
            Kind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            Kind.Int16 => (short.MinValue, short.MaxValue),
            Kind.Int32 => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (_kind == Kind.Decimal64) _decimalLimit = Pow10(type.Precision);
        _vector = ColumnVector.Create(type, capacity);
    }

    public DataType Type => _type;

    /// <summary>Hands out the vector built so far and starts a new one.</summary>
    public ColumnVector Finish(int capacity)
    {
        var v = _vector;
        _vector = ColumnVector.Create(_type, capacity);
        return v;
    }

    public void AppendNull() => _vector.AppendNull();

    /// <summary>The vector being built, for binary formats (avro) that append typed values instead of text.</summary>
    public ColumnVector Vector => _vector;

    /// <summary>Appends the value of <paramref name="text"/>; false (and nothing appended) when it is not a valid value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(ReadOnlySpan<byte> text)
    {
        switch (_kind)
        {
            case Kind.Int8:
            case Kind.Int16:
            case Kind.Int32:
            case Kind.Int64:
            {
                if (!TryParsePlainInteger(text, out var v) && NumberText.TryParseInteger(text, _min, _max, out v) != ParseStatus.Ok) return false;
                if (v < _min || v > _max) return false;
                switch (_kind)
                {
                    case Kind.Int8: ((PrimitiveVector<sbyte>)_vector).Append((sbyte)v); break;
                    case Kind.Int16: ((PrimitiveVector<short>)_vector).Append((short)v); break;
                    case Kind.Int32: ((PrimitiveVector<int>)_vector).Append((int)v); break;
                    default: ((PrimitiveVector<long>)_vector).Append(v); break;
                }
                return true;
            }
            case Kind.Decimal64:
            {
                if (TryParsePlainDecimal(text, _type.Scale, out var unscaled))
                {
                    if (unscaled >= _decimalLimit || unscaled <= -_decimalLimit) return false;
                }
                else if (NumberText.TryParseDecimal(text, _type.Precision, _type.Scale, out var wide) == ParseStatus.Ok) unscaled = (long)wide;
                else return false;
                ((PrimitiveVector<long>)_vector).Append(unscaled);
                return true;
            }
            case Kind.Decimal128:
            {
                if (NumberText.TryParseDecimal(text, _type.Precision, _type.Scale, out var wide) != ParseStatus.Ok) return false;
                ((PrimitiveVector<Int128>)_vector).Append(wide);
                return true;
            }
            case Kind.Float32:
            {
                if (NumberText.TryParseDouble(text, out var d) != ParseStatus.Ok) return false;
                ((PrimitiveVector<float>)_vector).Append((float)d);
                return true;
            }
            case Kind.Float64:
            {
                if (NumberText.TryParseDouble(text, out var d) != ParseStatus.Ok) return false;
                ((PrimitiveVector<double>)_vector).Append(d);
                return true;
            }
            case Kind.Date:
            {
                if (!TryParseIsoDate(text, out var days) && !DateTimeText.TryParseDate(text, out days)) return false;
                ((PrimitiveVector<int>)_vector).Append(days);
                return true;
            }
            case Kind.Time:
            {
                if (!DateTimeText.TryParseTime(text, _type, out var units)) return false;
                ((PrimitiveVector<long>)_vector).Append(units);
                return true;
            }
            case Kind.Timestamp:
            {
                if (!DateTimeText.TryParseTimestamp(text, _type, _zone, out var units)) return false;
                ((PrimitiveVector<long>)_vector).Append(units);
                return true;
            }
            case Kind.Bool:
            {
                if (NumberText.TryParseBoolean(text, out var b) != ParseStatus.Ok) return false;
                ((PrimitiveVector<bool>)_vector).Append(b);
                return true;
            }
            case Kind.Text:
                return AppendText(text);
            default:
                if (text.Length > _type.Length) return false;
                ((BinaryVector)_vector).Append(text);
                return true;
        }
    }

    /// <summary>VARCHAR(n) rejects longer text; CHAR(n) is blank-padded to n characters, as a cast to CHAR(n) is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AppendText(ReadOnlySpan<byte> text)
    {
        var target = (BinaryVector)_vector;
        var length = _type.Length;
        var count = text.Length <= length && System.Text.Ascii.IsValid(text) ? text.Length : Utf8Text.CharCount(text);
        if (count > length) return false;
        if (_type.Kind != TypeKind.Char || count == length)
        {
            target.Append(text);
            return true;
        }
        var size = text.Length + (length - count);
        Span<byte> padded = size <= 256 ? stackalloc byte[256] : new byte[size];
        text.CopyTo(padded);
        padded[text.Length..size].Fill((byte)' ');
        target.Append(padded[..size]);
        return true;
    }

    /// <summary>Digits with an optional sign, at most 18 of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParsePlainInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        var pos = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+')) { negative = s[0] == (byte)'-'; pos = 1; }
        var digits = s.Length - pos;
        if (digits is 0 or > 18) return false;
        long acc = 0;
        for (; pos < s.Length; pos++)
        {
            var d = (uint)(s[pos] - '0');
            if (d > 9) return false;
            acc = acc * 10 + d;
        }
        value = negative ? -acc : acc;
        return true;
    }

    /// <summary><c>[-]digits[.digits]</c> with at most <paramref name="scale"/> fraction digits and 18 digits in all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParsePlainDecimal(ReadOnlySpan<byte> s, int scale, out long unscaled)
    {
        unscaled = 0;
        var pos = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+')) { negative = s[0] == (byte)'-'; pos = 1; }
        long acc = 0;
        var digits = 0;
        var fraction = -1;
        for (; pos < s.Length; pos++)
        {
            var c = s[pos];
            if (c == (byte)'.' && fraction < 0) { fraction = 0; continue; }
            var d = (uint)(c - '0');
            if (d > 9) return false;
            acc = acc * 10 + d;
            digits++;
            if (fraction >= 0) fraction++;
        }
        if (fraction < 0) fraction = 0;
        if (digits == 0 || fraction > scale || digits + (scale - fraction) > 18) return false;
        for (var i = fraction; i < scale; i++) acc *= 10;
        unscaled = negative ? -acc : acc;
        return true;
    }

    /// <summary>Exactly <c>yyyy-mm-dd</c> (the overwhelmingly common form in files).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseIsoDate(ReadOnlySpan<byte> s, out int days)
    {
        days = 0;
        if (s.Length != 10 || s[4] != (byte)'-' || s[7] != (byte)'-') return false;
        var year = 0;
        for (var i = 0; i < 4; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) return false;
            year = year * 10 + (int)d;
        }
        var m1 = (uint)(s[5] - '0'); var m2 = (uint)(s[6] - '0');
        var d1 = (uint)(s[8] - '0'); var d2 = (uint)(s[9] - '0');
        if (m1 > 9 || m2 > 9 || d1 > 9 || d2 > 9) return false;
        var month = (int)(m1 * 10 + m2);
        var day = (int)(d1 * 10 + d2);
        if (month is < 1 or > 12 || day < 1 || day > CivilDate.DaysInMonth(year, month)) return false;
        days = (int)CivilDate.ToDays(year, month, day);
        return true;
    }

    private static long Pow10(int n)
    {
        long p = 1;
        for (var i = 0; i < n; i++) p *= 10;
        return p;
    }
}
