using System.Globalization;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.DataGen;

/// <summary>
/// Generates one column of a datagen table. Every value is a function of (seed, column, row number) only, so any range
/// of rows can be generated again identically — in another batch, on another thread, or after a restart.
/// </summary>
internal sealed class DataGenColumn
{
    private enum Shape : byte { Bool, Integer, Float, Double, Decimal, Text, Bytes, Date, Time, Timestamp }

    private const string HexDigits = "0123456789abcdef";
    private const int DefaultLength = 100;

    private readonly Shape _shape;
    private readonly DataType _type;
    private readonly DataGenFieldSpec _spec;
    private readonly ulong _salt;
    private readonly long _min; // integers, decimals (unscaled), sequences
    private readonly long _max;
    private readonly double _minDouble;
    private readonly double _maxDouble;
    private readonly int _length;
    private readonly long _maxPastMillis;
    private readonly ulong _nullThreshold;

    public DataGenColumn(string table, string column, int ordinal, DataType type, DataGenFieldSpec spec, ulong seed)
    {
        _type = type;
        _spec = spec;
        _salt = Mix(seed ^ ((ulong)(ordinal + 1) * 0x9E3779B97F4A7C15UL));
        _shape = type.Kind switch
        {
            TypeKind.Boolean => Shape.Bool,
            TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt => Shape.Integer,
            TypeKind.Float => Shape.Float,
            TypeKind.Double => Shape.Double,
            TypeKind.Decimal when type.Precision <= 18 => Shape.Decimal,
            TypeKind.Char or TypeKind.Varchar => Shape.Text,
            TypeKind.Binary or TypeKind.Varbinary => Shape.Bytes,
            TypeKind.Date => Shape.Date,
            TypeKind.Time => Shape.Time,
            TypeKind.Timestamp or TypeKind.TimestampLtz => Shape.Timestamp,
            _ => throw new TarnException(SqlStates.FeatureNotSupported, $"datagen cannot generate column '{column}' of table '{table}': type {type.ToSql()} is not supported"),
        };
        if (spec.Sequence && _shape is not (Shape.Integer or Shape.Float or Shape.Double or Shape.Decimal or Shape.Text))
            throw Invalid($"sequence field '{column}' of table '{table}' must be numeric or a string, not {type.ToSql()}");
        if (spec.NullRate > 0 && !type.Nullable)
            throw Invalid($"'fields.{column}.null-rate' of table '{table}' needs a nullable column, but '{column}' is NOT NULL");
        _nullThreshold = spec.NullRate >= 1 ? ulong.MaxValue : (ulong)(spec.NullRate * 18446744073709551615.0);
        _maxPastMillis = (long)spec.MaxPast.TotalMilliseconds;
        var (typeMin, typeMax) = type.Kind switch
        {
            TypeKind.TinyInt => (sbyte.MinValue, sbyte.MaxValue),
            TypeKind.SmallInt => (short.MinValue, short.MaxValue),
            TypeKind.Int => (int.MinValue, int.MaxValue),
            // a random decimal is drawn unscaled; a sequence counts whole numbers
            TypeKind.Decimal when spec.Sequence => (-Pow10(type.Precision - type.Scale) + 1, Pow10(type.Precision - type.Scale) - 1),
            TypeKind.Decimal => (-Pow10(type.Precision) + 1, Pow10(type.Precision) - 1),
            _ => (long.MinValue, long.MaxValue),
        };
        if (_shape is Shape.Integer or Shape.Decimal || (spec.Sequence && _shape == Shape.Text))
        {
            var scale = _shape == Shape.Decimal && !spec.Sequence ? type.Scale : 0;
            _min = spec.Min is null ? typeMin : Bound(table, column, spec.Sequence ? "start" : "min", spec.Min, scale, typeMin, typeMax);
            _max = spec.Max is null ? typeMax : Bound(table, column, spec.Sequence ? "end" : "max", spec.Max, scale, typeMin, typeMax);
        }
        else if (_shape is Shape.Float or Shape.Double)
        {
            // Flink's defaults: the smallest positive value up to the largest one.
            var (lo, hi) = _shape == Shape.Float ? ((double)float.Epsilon, (double)float.MaxValue) : (double.Epsilon, double.MaxValue);
            _minDouble = spec.Min is null ? lo : DoubleBound(table, column, spec.Sequence ? "start" : "min", spec.Min);
            _maxDouble = spec.Max is null ? hi : DoubleBound(table, column, spec.Sequence ? "end" : "max", spec.Max);
            if (spec.Sequence) (_min, _max) = ((long)Math.Ceiling(_minDouble), (long)Math.Floor(_maxDouble));
            else if (_minDouble > _maxDouble) throw Invalid($"'fields.{column}.min' of table '{table}' is greater than its max");
        }
        if (_min > _max) throw Invalid($"'fields.{column}.{(spec.Sequence ? "start" : "min")}' of table '{table}' is greater than its {(spec.Sequence ? "end" : "max")}");
        var declared = type.Length is > 0 and < DataType.MaxLength ? type.Length : int.MaxValue;
        _length = type.Kind is TypeKind.Char or TypeKind.Binary ? type.Length : Math.Min(spec.Length ?? DefaultLength, declared);
    }

    /// <summary>Rows a sequence column can give (end - start + 1), or null for a random column.</summary>
    public long? SequenceLength => _spec.Sequence ? ((ulong)(_max - _min) >= long.MaxValue ? long.MaxValue : _max - _min + 1) : null;

    public DataType Type => _type;

    /// <summary>A vector with rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    /// <param name="baseTimeMillis">The time (Unix ms) of row 0; random times lie up to max-past before a row's time.</param>
    /// <param name="millisPerRow">How far apart consecutive rows' times are.</param>
    public ColumnVector Generate(long first, int count, long baseTimeMillis, double millisPerRow)
    {
        var vector = ColumnVector.Create(_type, count);
        for (var i = 0; i < count; i++)
        {
            var row = first + i;
            if (_nullThreshold != 0 && Hash(row, 1) < _nullThreshold)
            {
                vector.AppendNull();
                continue;
            }
            var h = Hash(row, 0);
            switch (_shape)
            {
                case Shape.Bool:
                    ((PrimitiveVector<bool>)vector).Append((h & 1) != 0);
                    break;
                case Shape.Integer:
                    AppendInteger(vector, _spec.Sequence ? _min + row : Uniform(h, _min, _max));
                    break;
                case Shape.Decimal:
                    ((PrimitiveVector<long>)vector).Append(_spec.Sequence ? (_min + row) * Pow10(_type.Scale) : Uniform(h, _min, _max));
                    break;
                case Shape.Float:
                    ((PrimitiveVector<float>)vector).Append((float)(_spec.Sequence ? _min + row : UniformDouble(h)));
                    break;
                case Shape.Double:
                    ((PrimitiveVector<double>)vector).Append(_spec.Sequence ? _min + row : UniformDouble(h));
                    break;
                case Shape.Text:
                    if (_spec.Sequence) ((BinaryVector)vector).Append((_min + row).ToString(CultureInfo.InvariantCulture));
                    else AppendRandomText((BinaryVector)vector, row, h);
                    break;
                case Shape.Bytes:
                    AppendRandomBytes((BinaryVector)vector, row, h);
                    break;
                case Shape.Date:
                    ((PrimitiveVector<int>)vector).Append((int)Math.Floor(PastMillis(row, h, baseTimeMillis, millisPerRow) / 86_400_000.0));
                    break;
                case Shape.Time:
                    var ms = PastMillis(row, h, baseTimeMillis, millisPerRow) % 86_400_000;
                    ((PrimitiveVector<long>)vector).Append((ms < 0 ? ms + 86_400_000 : ms) * (_type.TimeUnitsPerSecond / 1000));
                    break;
                default:
                    ((PrimitiveVector<long>)vector).Append(PastMillis(row, h, baseTimeMillis, millisPerRow) * (_type.TimeUnitsPerSecond / 1000));
                    break;
            }
        }
        return vector;
    }

    private long PastMillis(long row, ulong h, long baseTimeMillis, double millisPerRow)
    {
        var time = baseTimeMillis + (long)Math.Floor(row * millisPerRow);
        return _maxPastMillis == 0 ? time : time - Uniform(h, 0, _maxPastMillis);
    }

    private void AppendInteger(ColumnVector vector, long value)
    {
        switch (_type.Kind)
        {
            case TypeKind.TinyInt: ((PrimitiveVector<sbyte>)vector).Append((sbyte)value); break;
            case TypeKind.SmallInt: ((PrimitiveVector<short>)vector).Append((short)value); break;
            case TypeKind.Int: ((PrimitiveVector<int>)vector).Append((int)value); break;
            default: ((PrimitiveVector<long>)vector).Append(value); break;
        }
    }

    private void AppendRandomText(BinaryVector vector, long row, ulong h)
    {
        var length = _spec.VariableLength && _type.Kind != TypeKind.Char ? 1 + (int)(h % (ulong)_length) : _length;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : new byte[length];
        for (var i = 0; i < length; i += 16)
        {
            var bits = Hash(row, 2 + (ulong)(i / 16));
            for (var j = i; j < Math.Min(i + 16, length); j++, bits >>= 4) buffer[j] = (byte)HexDigits[(int)(bits & 15)];
        }
        vector.Append(buffer);
    }

    private void AppendRandomBytes(BinaryVector vector, long row, ulong h)
    {
        var length = _spec.VariableLength && _type.Kind != TypeKind.Binary ? 1 + (int)(h % (ulong)_length) : _length;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : new byte[length];
        for (var i = 0; i < length; i += 8)
        {
            var bits = Hash(row, 2 + (ulong)(i / 8));
            for (var j = i; j < Math.Min(i + 8, length); j++, bits >>= 8) buffer[j] = (byte)bits;
        }
        vector.Append(buffer);
    }

    /// <summary>Uniform in [min, max] (the modulo bias is below 2^-32 for ranges under 2^32, as here in practice).</summary>
    private static long Uniform(ulong h, long min, long max)
    {
        var span = (ulong)(max - min) + 1;
        return span == 0 ? (long)h : min + (long)(h % span);
    }

    private double UniformDouble(ulong h)
    {
        var unit = (h >> 11) * (1.0 / (1UL << 53));
        return _minDouble + unit * (_maxDouble - _minDouble);
    }

    private ulong Hash(long row, ulong stream) => Mix(_salt ^ ((ulong)row * 0xD1B54A32D192ED03UL) ^ (stream * 0xBF58476D1CE4E5B9UL));

    /// <summary>SplitMix64's finalizer: a bijection that spreads every input bit over the output.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static long Bound(string table, string column, string key, string text, int scale, long typeMin, long typeMax)
    {
        if (!decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Invalid($"'fields.{column}.{key}' of table '{table}' must be a number, got '{text}'");
        var unscaled = decimal.Round(value * Pow10(scale));
        if (unscaled < typeMin || unscaled > typeMax)
            throw Invalid($"'fields.{column}.{key}' of table '{table}' is outside the range of its type: {text}");
        return (long)unscaled;
    }

    private static double DoubleBound(string table, string column, string key, string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw Invalid($"'fields.{column}.{key}' of table '{table}' must be a number, got '{text}'");

    private static long Pow10(int n)
    {
        long p = 1;
        for (var i = 0; i < n; i++) p *= 10;
        return p;
    }

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
