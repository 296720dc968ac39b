using System.Numerics;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Encodes one column of one row group into a chunk payload (validity section + values section) and computes its
/// statistics. NULL rows carry the previous non-NULL value (the first non-NULL value for leading NULLs), which
/// extends runs, keeps deltas at zero and leaves min/max untouched. One instance per writer; scratch is reused.
/// </summary>
internal sealed class ChunkPayloadEncoder
{
    private readonly LongStreamEncoder _integers = new();
    private readonly LongStreamEncoder _validity = new();
    private readonly Int128StreamEncoder _int128 = new();
    private readonly FloatValuesEncoder _floats = new();
    private readonly BinaryValuesEncoder _binary = new();
    private long[] _longs = [];
    private long[] _mask = [];
    private Int128[] _int128s = [];
    private double[] _doubles = [];
    private float[] _singles = [];
    private ColumnVector? _vector;
    private PhysicalType _physical;
    private int _rows;
    private long _nullCount;
    private long _validitySize;

    public ChunkEncoding Chosen { get; private set; }
    public ColumnStats Stats { get; private set; } = ColumnStats.Empty;

    /// <summary>Sketch of the chunk's distinct values, for merging into segment statistics (null when all NULL).</summary>
    public DistinctSketch? Sketch { get; private set; }

    public long ValiditySize => _validitySize;

    /// <summary>Exact size of the values section with <paramref name="encoding"/>, or -1 if it is not a candidate.</summary>
    public long SizeOf(ChunkEncoding encoding) => _physical switch
    {
        PhysicalType.Int128 => _int128.SizeOf(encoding),
        PhysicalType.Float32 or PhysicalType.Float64 => _floats.SizeOf(encoding),
        PhysicalType.Binary => _binary.SizeOf(encoding),
        _ => _integers.SizeOf(encoding),
    };

    public long PayloadSize(ChunkEncoding encoding) => _validitySize + SizeOf(encoding);

    /// <summary>Analyzes the first <paramref name="rows"/> rows of <paramref name="vector"/> (flat vectors only).</summary>
    public void Analyze(ColumnVector vector, int rows, bool forceDictionary = false)
    {
        _vector = vector;
        _rows = rows;
        _physical = PhysicalOf(vector);
        var nulls = vector.Nulls is { } n ? n.AsSpan(0, rows) : default;
        _nullCount = nulls.IsEmpty ? 0 : rows - nulls.Count((byte)0);
        if (_nullCount == 0) nulls = default;
        Grow(ref _mask, rows);
        _validitySize = ValidityEncoding.Analyze(nulls, rows, _nullCount, _mask, _validity);
        var nonNull = rows - _nullCount;
        switch (vector)
        {
            case PrimitiveVector<bool> v: AnalyzeBits(v.Values, nulls, nonNull); break;
            case PrimitiveVector<sbyte> v: AnalyzeIntegers(v.Values, nulls, 1, nonNull, forceDictionary); break;
            case PrimitiveVector<short> v: AnalyzeIntegers(v.Values, nulls, 2, nonNull, forceDictionary); break;
            case PrimitiveVector<int> v: AnalyzeIntegers(v.Values, nulls, 4, nonNull, forceDictionary); break;
            case PrimitiveVector<long> v: AnalyzeIntegers(v.Values, nulls, 8, nonNull, forceDictionary); break;
            case PrimitiveVector<Int128> v:
            {
                _int128.Analyze(Filled(v.Values, nulls, rows, ref _int128s), forceDictionary);
                Chosen = _int128.Chosen;
                Sketch = nonNull == 0 ? null : _int128.Sketch;
                Stats = new ColumnStats
                {
                    NullCount = _nullCount,
                    DistinctEstimate = nonNull == 0 ? 0 : _int128.DistinctEstimate,
                    DistinctIsExact = nonNull == 0 || _int128.DistinctIsExact,
                    HasMinMax = nonNull > 0,
                    MinInt = nonNull > 0 ? _int128.Min : 0,
                    MaxInt = nonNull > 0 ? _int128.Max : 0,
                };
                break;
            }
            case PrimitiveVector<float> v:
                _floats.Analyze(Filled(v.Values, nulls, rows, ref _singles), forceDictionary);
                FinishFloats(nonNull);
                break;
            case PrimitiveVector<double> v:
                _floats.Analyze(Filled(v.Values, nulls, rows, ref _doubles), forceDictionary);
                FinishFloats(nonNull);
                break;
            case BinaryVector v:
                _binary.Analyze(v, rows, nulls, forceDictionary);
                Chosen = _binary.Chosen;
                Sketch = nonNull == 0 ? null : _binary.Sketch;
                Stats = new ColumnStats
                {
                    NullCount = _nullCount,
                    DistinctEstimate = _binary.DistinctEstimate,
                    DistinctIsExact = nonNull == 0 || _binary.DistinctIsExact,
                    HasMinMax = _binary.Min is not null && _binary.Max is not null,
                    MinBytes = _binary.Min,
                    MaxBytes = _binary.Max,
                    MinBytesTruncated = _binary.MinTruncated,
                };
                break;
            default:
                throw new ArgumentException($"cannot encode a {vector.GetType().Name} as a chunk", nameof(vector));
        }
    }

    private static PhysicalType PhysicalOf(ColumnVector vector) => vector switch
    {
        PrimitiveVector<bool> => PhysicalType.Bool,
        PrimitiveVector<sbyte> => PhysicalType.Int8,
        PrimitiveVector<short> => PhysicalType.Int16,
        PrimitiveVector<int> => PhysicalType.Int32,
        PrimitiveVector<long> => PhysicalType.Int64,
        PrimitiveVector<Int128> => PhysicalType.Int128,
        PrimitiveVector<float> => PhysicalType.Float32,
        PrimitiveVector<double> => PhysicalType.Float64,
        BinaryVector => PhysicalType.Binary,
        _ => throw new ArgumentException($"cannot encode a {vector.GetType().Name} as a chunk", nameof(vector)),
    };

    private void AnalyzeBits(bool[] values, ReadOnlySpan<byte> nulls, long nonNull)
    {
        Grow(ref _longs, _rows);
        var longs = _longs.AsSpan(0, _rows);
        var first = nulls.IsEmpty ? 0 : nulls.IndexOf((byte)0);
        long last = first >= 0 && values[first] ? 1 : 0;
        for (var i = 0; i < longs.Length; i++)
        {
            if (!nulls.IsEmpty && nulls[i] != 0) longs[i] = last;
            else longs[i] = last = values[i] ? 1 : 0;
        }
        _integers.Analyze(longs, EncodingSet.Bits, 1);
        FinishIntegers(nonNull);
    }

    private void AnalyzeIntegers<T>(T[] values, ReadOnlySpan<byte> nulls, int valueBytes, long nonNull, bool forceDictionary)
        where T : unmanaged, IBinaryInteger<T>
    {
        Grow(ref _longs, _rows);
        var longs = _longs.AsSpan(0, _rows);
        var src = values.AsSpan(0, _rows);
        if (nulls.IsEmpty)
        {
            for (var i = 0; i < src.Length; i++) longs[i] = long.CreateTruncating(src[i]);
        }
        else
        {
            var first = nulls.IndexOf((byte)0);
            var last = first >= 0 ? long.CreateTruncating(src[first]) : 0;
            for (var i = 0; i < src.Length; i++)
            {
                if (nulls[i] != 0) longs[i] = last;
                else longs[i] = last = long.CreateTruncating(src[i]);
            }
        }
        _integers.Analyze(longs, EncodingSet.Integers, valueBytes, forceDictionary);
        FinishIntegers(nonNull);
    }

    private void FinishIntegers(long nonNull)
    {
        Chosen = _integers.Chosen;
        Sketch = nonNull == 0 || !_integers.HasSketch ? null : _integers.Sketch;
        Stats = new ColumnStats
        {
            NullCount = _nullCount,
            DistinctEstimate = nonNull == 0 ? 0 : _integers.DistinctEstimate,
            DistinctIsExact = nonNull == 0 || _integers.DistinctIsExact,
            HasMinMax = nonNull > 0,
            MinInt = nonNull > 0 ? _integers.Stats.Min : 0,
            MaxInt = nonNull > 0 ? _integers.Stats.Max : 0,
        };
    }

    private void FinishFloats(long nonNull)
    {
        Chosen = _floats.Chosen;
        Sketch = nonNull == 0 ? null : _floats.Sketch;
        var bounded = nonNull > 0 && !_floats.HasNaN;
        Stats = new ColumnStats
        {
            NullCount = _nullCount,
            DistinctEstimate = nonNull == 0 ? 0 : _floats.DistinctEstimate,
            DistinctIsExact = nonNull == 0 || _floats.DistinctIsExact,
            HasMinMax = bounded,
            HasNaN = nonNull > 0 && _floats.HasNaN,
            MinFloat = bounded ? _floats.Min : 0,
            MaxFloat = bounded ? _floats.Max : 0,
        };
    }

    /// <summary>The first rows of <paramref name="values"/>, with NULL rows replaced (in a copy) by the previous value.</summary>
    private ReadOnlySpan<T> Filled<T>(T[] values, ReadOnlySpan<byte> nulls, int rows, ref T[] scratch) where T : unmanaged
    {
        if (nulls.IsEmpty) return values.AsSpan(0, rows);
        if (scratch.Length < rows) scratch = new T[Math.Max(rows, scratch.Length * 2)];
        var first = nulls.IndexOf((byte)0);
        var last = first >= 0 ? values[first] : default;
        for (var i = 0; i < rows; i++)
        {
            if (nulls[i] != 0) scratch[i] = last;
            else scratch[i] = last = values[i];
        }
        return scratch.AsSpan(0, rows);
    }

    public void Write(EncodeBuffer output) => Write(Chosen, output);

    /// <summary>Writes the payload with <paramref name="encoding"/> for the values (must be a candidate).</summary>
    public void Write(ChunkEncoding encoding, EncodeBuffer output)
    {
        var vector = _vector ?? throw new InvalidOperationException("nothing analyzed");
        var start = output.Length;
        ValidityEncoding.Write(_rows, _nullCount, _mask, _validity, output);
        switch (_physical)
        {
            case PhysicalType.Int128:
                _int128.Write(_nullCount == 0 ? ((PrimitiveVector<Int128>)vector).Values.AsSpan(0, _rows) : _int128s.AsSpan(0, _rows), encoding, output);
                break;
            case PhysicalType.Float32:
            case PhysicalType.Float64:
                _floats.Write(encoding, output);
                break;
            case PhysicalType.Binary:
                _binary.Write(encoding, _nullCount == 0 ? default : vector.Nulls.AsSpan(0, _rows), output);
                break;
            default:
                _integers.Write(_longs.AsSpan(0, _rows), encoding, output);
                break;
        }
        if (output.Length - start != PayloadSize(encoding))
            throw new InvalidOperationException($"{encoding} wrote {output.Length - start} bytes, estimated {PayloadSize(encoding)}");
    }

    private static void Grow(ref long[] array, int count)
    {
        if (array.Length < count) array = new long[Math.Max(count, array.Length * 2)];
    }
}
