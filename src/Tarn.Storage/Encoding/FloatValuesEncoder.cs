using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Chooses among the float encodings: DECIMAL_SCALED when every value is a short exact decimal, otherwise PLAIN,
/// RLE or DICTIONARY over the IEEE bit patterns (which round-trip NaN payloads and -0.0 exactly). Also computes
/// min/max in IEEE total order (-0.0 below +0.0) and whether a NaN is present.
/// </summary>
internal sealed class FloatValuesEncoder
{
    private readonly long[] _sizes = new long[EncodingChooser.SizeSlots];
    private readonly LongStreamEncoder _bits = new();
    private readonly LongStreamEncoder _scaled = new();
    private long[] _bitPatterns = [];
    private long[] _scaledValues = [];
    private int _count;
    private int _exponent;

    public ChunkEncoding Chosen { get; private set; }
    public long SizeOf(ChunkEncoding encoding) => _sizes[(int)encoding];
    public bool HasNaN { get; private set; }
    public double Min { get; private set; }
    public double Max { get; private set; }
    public int Exponent => _exponent;
    public DistinctSketch Sketch => _bits.Sketch;
    public long DistinctEstimate => _bits.DistinctEstimate;
    public bool DistinctIsExact => _bits.DistinctIsExact;

    public void Analyze(ReadOnlySpan<double> values, bool forceDictionary = false)
    {
        var bits = Prepare(values.Length);
        var hasNaN = false;
        long minKey = long.MaxValue, maxKey = long.MinValue;
        for (var i = 0; i < values.Length; i++)
        {
            var b = BitConverter.DoubleToInt64Bits(values[i]);
            bits[i] = b;
            hasNaN |= double.IsNaN(values[i]);
            // Total-order key: flipping the magnitude bits of negatives makes signed comparison order the values.
            var key = b >= 0 ? b : b ^ long.MaxValue;
            if (key < minKey) minKey = key;
            if (key > maxKey) maxKey = key;
        }
        HasNaN = hasNaN;
        Min = BitConverter.Int64BitsToDouble(minKey >= 0 ? minKey : minKey ^ long.MaxValue);
        Max = BitConverter.Int64BitsToDouble(maxKey >= 0 ? maxKey : maxKey ^ long.MaxValue);
        _bits.Analyze(bits, EncodingSet.FloatBits, 8, forceDictionary);
        var scaledOk = DecimalScaledEncoding.TryScale(values, _scaledValues.AsSpan(0, values.Length), out _exponent);
        Finish(scaledOk, forceDictionary);
    }

    public void Analyze(ReadOnlySpan<float> values, bool forceDictionary = false)
    {
        var bits = Prepare(values.Length);
        var hasNaN = false;
        int minKey = int.MaxValue, maxKey = int.MinValue;
        for (var i = 0; i < values.Length; i++)
        {
            var b = BitConverter.SingleToInt32Bits(values[i]);
            bits[i] = b;
            hasNaN |= float.IsNaN(values[i]);
            var key = b >= 0 ? b : b ^ int.MaxValue;
            if (key < minKey) minKey = key;
            if (key > maxKey) maxKey = key;
        }
        HasNaN = hasNaN;
        Min = BitConverter.Int32BitsToSingle(minKey >= 0 ? minKey : minKey ^ int.MaxValue);
        Max = BitConverter.Int32BitsToSingle(maxKey >= 0 ? maxKey : maxKey ^ int.MaxValue);
        _bits.Analyze(bits, EncodingSet.FloatBits, 4, forceDictionary);
        var scaledOk = DecimalScaledEncoding.TryScale(values, _scaledValues.AsSpan(0, values.Length), out _exponent);
        Finish(scaledOk, forceDictionary);
    }

    private Span<long> Prepare(int count)
    {
        _count = count;
        if (_bitPatterns.Length < count) _bitPatterns = new long[Math.Max(count, _bitPatterns.Length * 2)];
        if (_scaledValues.Length < count) _scaledValues = new long[Math.Max(count, _scaledValues.Length * 2)];
        return _bitPatterns.AsSpan(0, count);
    }

    private void Finish(bool scaledOk, bool forceDictionary)
    {
        _sizes.AsSpan().Fill(-1);
        _sizes[(int)ChunkEncoding.Plain] = _bits.SizeOf(ChunkEncoding.Plain);
        _sizes[(int)ChunkEncoding.Rle] = _bits.SizeOf(ChunkEncoding.Rle);
        _sizes[(int)ChunkEncoding.Dictionary] = _bits.SizeOf(ChunkEncoding.Dictionary);
        if (scaledOk && _count > 0)
        {
            _scaled.Analyze(_scaledValues.AsSpan(0, _count), EncodingSet.Integers, 8, forceDictionary);
            _sizes[(int)ChunkEncoding.DecimalScaled] = 2 + _scaled.ChosenSize;
        }
        Chosen = EncodingChooser.Choose(_sizes);
    }

    public void Write(ChunkEncoding encoding, EncodeBuffer output)
    {
        if (_sizes[(int)encoding] < 0) throw new InvalidOperationException($"{encoding} was not analyzed for this chunk");
        if (encoding == ChunkEncoding.DecimalScaled)
            DecimalScaledEncoding.Write(_exponent, _scaledValues.AsSpan(0, _count), _scaled, output);
        else
            _bits.Write(_bitPatterns.AsSpan(0, _count), encoding, output);
    }
}
