using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Encodes a stream of integers (any integer column, booleans, null masks, string lengths and codes, the k of
/// DECIMAL_SCALED, float bit patterns for RLE/DICTIONARY) with whichever allowed encoding is smallest.
/// <see cref="Analyze"/> makes one statistics pass and computes the exact size of every candidate; a dictionary is
/// only built when the distinct-count estimate says it could win. Reusable: scratch survives between streams.
/// </summary>
internal sealed class LongStreamEncoder
{
    private readonly long[] _sizes = new long[EncodingChooser.SizeSlots];
    private readonly LongDictionaryBuilder _dictionary = new();
    private int[] _codes = [];
    private bool _dictionaryBuilt;
    private int _valueBytes;
    private long _sketchEstimate;
    private bool _hasSketch;

    public LongStats Stats;

    /// <summary>Distinct values seen by the last <see cref="Analyze"/> (merged into column sketches).</summary>
    public DistinctSketch Sketch { get; } = new();

    public ChunkEncoding Chosen { get; private set; }

    /// <summary>Exact encoded size (including the encoding byte) of <paramref name="encoding"/>, or -1 if not a candidate.</summary>
    public long SizeOf(ChunkEncoding encoding) => _sizes[(int)encoding];

    public long ChosenSize => _sizes[(int)Chosen];

    /// <summary>
    /// Distinct values: exact when a dictionary was built or the range holds at most two values, else the sketch's
    /// estimate (within 1..count); without a sketch, the bound from runs and range.
    /// </summary>
    public long DistinctEstimate =>
        Stats.Count == 0 ? 0
        : _dictionaryBuilt ? _dictionary.Count
        : RangeBound <= 2 ? RangeBound
        : Math.Clamp(_hasSketch ? _sketchEstimate : long.MaxValue, 1, Math.Min(Math.Min(Stats.Count, Stats.Runs), RangeBound));

    /// <summary>Whether <see cref="DistinctEstimate"/> is exact.</summary>
    public bool DistinctIsExact => Stats.Count == 0 || _dictionaryBuilt || RangeBound <= 2;

    /// <summary>max - min + 1, saturated: no more distinct values can exist.</summary>
    private long RangeBound
    {
        get
        {
            var range = unchecked((ulong)(Stats.Max - Stats.Min));
            return range >= long.MaxValue ? long.MaxValue : (long)range + 1;
        }
    }

    /// <summary>Whether the last <see cref="Analyze"/> filled <see cref="Sketch"/> (only when DICTIONARY was allowed).</summary>
    public bool HasSketch => _hasSketch;

    /// <param name="valueBytes">Width of a PLAIN value: 1, 2, 4 or 8.</param>
    /// <param name="forceDictionary">Build the dictionary even when the estimate says it cannot win (tests).</param>
    public void Analyze(ReadOnlySpan<long> values, EncodingSet allowed, int valueBytes, bool forceDictionary = false)
    {
        _valueBytes = valueBytes;
        _dictionaryBuilt = false;
        // Hashing every value costs as much as the rest of the analysis; only dictionaries need it.
        _hasSketch = allowed.Has(ChunkEncoding.Dictionary);
        Sketch.Clear();
        Stats = LongStats.Compute(values, _hasSketch ? Sketch : null);
        _sketchEstimate = values.IsEmpty || !_hasSketch ? 0 : Sketch.Estimate();
        _sizes.AsSpan().Fill(-1);
        if (allowed.Has(ChunkEncoding.Plain)) _sizes[(int)ChunkEncoding.Plain] = PlainEncoding.Size(values.Length, valueBytes);
        if (allowed.Has(ChunkEncoding.FrameOfReference)) _sizes[(int)ChunkEncoding.FrameOfReference] = ForEncoding.Size(Stats);
        if (allowed.Has(ChunkEncoding.Delta)) _sizes[(int)ChunkEncoding.Delta] = DeltaEncoding.Size(Stats);
        if (allowed.Has(ChunkEncoding.Rle)) _sizes[(int)ChunkEncoding.Rle] = RleEncoding.Size(Stats);
        if (allowed.Has(ChunkEncoding.Dictionary) && values.Length > 0 && (forceDictionary || DictionaryMayWin(values.Length)))
            TryBuildDictionary(values);
        Chosen = EncodingChooser.Choose(_sizes);
    }

    /// <summary>
    /// A dictionary is built only when it promises to save at least 1/8 of the best other size, judged for a
    /// distinct count a bit below the sketch's estimate (the sketch errs by a few percent). Building and sorting a
    /// large dictionary costs more than the few bytes it could save otherwise ([ENC-030]).
    /// </summary>
    private bool DictionaryMayWin(int count)
    {
        var best = long.MaxValue;
        foreach (var s in _sizes) if (s >= 0 && s < best) best = s;
        var low = Math.Min(Math.Min(Stats.Runs, RangeBound), (long)(_sketchEstimate * DictionaryEncoding.EstimateMargin));
        if (low > DictionaryEncoding.MaxEntries) return false;
        return DictionaryEncoding.Size(count, (int)Math.Clamp(low, 1, count), Stats) < best - best / 8;
    }

    private void TryBuildDictionary(ReadOnlySpan<long> values)
    {
        if (_codes.Length < values.Length) _codes = new int[Math.Max(values.Length, _codes.Length * 2)];
        var codes = _codes.AsSpan(0, values.Length);
        if (!_dictionary.TryBuild(values, Math.Min(values.Length, DictionaryEncoding.MaxEntries), codes)) return;
        _dictionary.SortEntries(codes);
        _dictionaryBuilt = true;
        _sizes[(int)ChunkEncoding.Dictionary] = DictionaryEncoding.Size(values.Length, _dictionary.Count, Stats);
    }

    /// <summary>Writes the stream with the chosen encoding.</summary>
    public void Write(ReadOnlySpan<long> values, EncodeBuffer output) => Write(values, Chosen, output);

    /// <summary>Writes the stream with <paramref name="encoding"/>, which must have a size (see <see cref="SizeOf"/>).</summary>
    public void Write(ReadOnlySpan<long> values, ChunkEncoding encoding, EncodeBuffer output)
    {
        if (values.Length != Stats.Count || _sizes[(int)encoding] < 0)
            throw new InvalidOperationException($"{encoding} was not analyzed for this stream");
        switch (encoding)
        {
            case ChunkEncoding.Plain: PlainEncoding.Write(values, _valueBytes, output); break;
            case ChunkEncoding.FrameOfReference: ForEncoding.Write(values, Stats, output); break;
            case ChunkEncoding.Delta: DeltaEncoding.Write(values, Stats, output); break;
            case ChunkEncoding.Rle: RleEncoding.Write(values, Stats, output); break;
            case ChunkEncoding.Dictionary: DictionaryEncoding.Write(_dictionary.Entries, _codes.AsSpan(0, values.Length), Stats, output); break;
            default: throw new InvalidOperationException($"{encoding} is not an integer stream encoding");
        }
    }
}
