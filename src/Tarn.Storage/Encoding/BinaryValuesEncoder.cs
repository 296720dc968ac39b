using Tarn.Storage.Segments;
using Tarn.Vectors;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Encodes string/bytes values. PLAIN: an integer stream of lengths (0 for NULL rows) then the bytes of the
/// non-NULL rows. DICTIONARY: u32 entry count, an integer stream of entry lengths, the entry bytes (entries
/// distinct and in ascending unsigned byte order), then an integer stream of codes (NULL rows repeat the previous
/// code). Computes min/max (min cut to <see cref="MaxStatBytes"/> bytes, max dropped when longer).
/// </summary>
internal sealed class BinaryValuesEncoder
{
    /// <summary>Statistics keep at most this many bytes of a string bound.</summary>
    public const int MaxStatBytes = 256;

    private const int MaxDictionaryEntries = 1 << 18;

    private readonly long[] _sizes = new long[EncodingChooser.SizeSlots];
    private readonly LongStreamEncoder _lengths = new();
    private readonly LongStreamEncoder _entryLengths = new();
    private readonly LongStreamEncoder _codes = new();
    private readonly BinaryDictionaryBuilder _dictionary = new();
    private long[] _lengthValues = [];
    private long[] _entryLengthValues = [];
    private long[] _codeValues = [];
    private int[] _codeScratch = [];
    private BinaryVector? _vector;
    private int _rows;
    private long _plainDataBytes;
    private long _dictionaryDataBytes;
    private bool _dictionaryBuilt;

    public DistinctSketch Sketch { get; } = new();
    public ChunkEncoding Chosen { get; private set; }
    public long SizeOf(ChunkEncoding encoding) => _sizes[(int)encoding];
    public byte[]? Min { get; private set; }
    public byte[]? Max { get; private set; }
    public bool MinTruncated { get; private set; }
    public long NonNullCount { get; private set; }
    public bool DistinctIsExact => _dictionaryBuilt;

    public long DistinctEstimate =>
        NonNullCount == 0 ? 0 : _dictionaryBuilt ? _dictionary.Count : Math.Clamp(Sketch.Estimate(), 1, NonNullCount);

    public void Analyze(BinaryVector vector, int rows, ReadOnlySpan<byte> nulls, bool forceDictionary = false)
    {
        _vector = vector;
        _rows = rows;
        Sketch.Clear();
        _sizes.AsSpan().Fill(-1);
        Grow(ref _lengthValues, rows);
        Grow(ref _codeValues, rows);
        if (_codeScratch.Length < rows) _codeScratch = new int[Math.Max(rows, _codeScratch.Length * 2)];
        var offsets = vector.Offsets;
        var codes = _codeScratch.AsSpan(0, rows);
        var maxEntries = forceDictionary ? Math.Min(rows, MaxDictionaryEntries) : Math.Min(Math.Max(1, rows / 2), MaxDictionaryEntries);
        _dictionary.Reset(vector.Data, maxEntries);
        var hasNulls = !nulls.IsEmpty;
        long dataBytes = 0, nonNull = 0;
        var lastCode = 0;
        var data = vector.Data;
        int prevStart = -1, prevLength = -1;
        for (var i = 0; i < rows; i++)
        {
            if (hasNulls && nulls[i] != 0)
            {
                _lengthValues[i] = 0;
                codes[i] = lastCode;
                continue;
            }
            var start = offsets[i];
            var length = offsets[i + 1] - start;
            _lengthValues[i] = length;
            dataBytes += length;
            nonNull++;
            // A repeat of the previous value (runs, sorted data) needs no hashing: same code, same sketch.
            if (length == prevLength && data.AsSpan(start, length).SequenceEqual(data.AsSpan(prevStart, prevLength)))
            {
                codes[i] = lastCode;
                continue;
            }
            prevStart = start;
            prevLength = length;
            var hash = Hashing.Bytes(data.AsSpan(start, length));
            Sketch.Add(hash);
            var code = _dictionary.Add(start, length, hash);
            if (code >= 0) codes[i] = lastCode = code;
        }
        NonNullCount = nonNull;
        _plainDataBytes = dataBytes;
        _lengths.Analyze(_lengthValues.AsSpan(0, rows), EncodingSet.NestedIntegers, 4);
        _sizes[(int)ChunkEncoding.Plain] = 1 + _lengths.ChosenSize + dataBytes;
        _dictionaryBuilt = !_dictionary.Overflowed && _dictionary.Count > 0;
        if (_dictionaryBuilt) AnalyzeDictionary(codes);
        ComputeMinMax(nulls);
        Chosen = EncodingChooser.Choose(_sizes);
    }

    private void AnalyzeDictionary(Span<int> codes)
    {
        _dictionary.SortEntries(codes);
        var d = _dictionary.Count;
        Grow(ref _entryLengthValues, d);
        long entryBytes = 0;
        for (var e = 0; e < d; e++)
        {
            _entryLengthValues[e] = _dictionary.EntryLength(e);
            entryBytes += _dictionary.EntryLength(e);
        }
        for (var i = 0; i < codes.Length; i++) _codeValues[i] = codes[i];
        _dictionaryDataBytes = entryBytes;
        _entryLengths.Analyze(_entryLengthValues.AsSpan(0, d), EncodingSet.NestedIntegers, 4);
        _codes.Analyze(_codeValues.AsSpan(0, codes.Length), EncodingSet.NestedIntegers, 4);
        _sizes[(int)ChunkEncoding.Dictionary] = 1 + 4 + _entryLengths.ChosenSize + entryBytes + _codes.ChosenSize;
    }

    private void ComputeMinMax(ReadOnlySpan<byte> nulls)
    {
        Min = Max = null;
        MinTruncated = false;
        if (NonNullCount == 0) return;
        ReadOnlySpan<byte> min, max;
        if (_dictionaryBuilt)
        {
            // Sorted entries: the bounds are the first and the last.
            min = _dictionary.Entry(0);
            max = _dictionary.Entry(_dictionary.Count - 1);
        }
        else
        {
            var vector = _vector!;
            min = max = default;
            var first = true;
            for (var i = 0; i < _rows; i++)
            {
                if (!nulls.IsEmpty && nulls[i] != 0) continue;
                var v = vector.GetBytes(i);
                if (first || v.SequenceCompareTo(min) < 0) min = v;
                if (first || v.SequenceCompareTo(max) > 0) max = v;
                first = false;
            }
        }
        // A prefix is never greater than the value, so a cut minimum is still a lower bound.
        MinTruncated = min.Length > MaxStatBytes;
        Min = (MinTruncated ? min[..MaxStatBytes] : min).ToArray();
        Max = max.Length > MaxStatBytes ? null : max.ToArray();
    }

    public void Write(ChunkEncoding encoding, ReadOnlySpan<byte> nulls, EncodeBuffer output)
    {
        if (_sizes[(int)encoding] < 0) throw new InvalidOperationException($"{encoding} was not analyzed for this chunk");
        var vector = _vector!;
        output.WriteByte((byte)encoding);
        if (encoding == ChunkEncoding.Plain)
        {
            _lengths.Write(_lengthValues.AsSpan(0, _rows), output);
            var data = output.Reserve(_plainDataBytes);
            if (nulls.IsEmpty)
            {
                vector.Data.AsSpan(vector.Offsets[0], (int)_plainDataBytes).CopyTo(data);
                return;
            }
            var pos = 0;
            for (var i = 0; i < _rows; i++)
            {
                if (nulls[i] != 0) continue;
                var v = vector.GetBytes(i);
                v.CopyTo(data[pos..]);
                pos += v.Length;
            }
            return;
        }
        output.WriteUInt32((uint)_dictionary.Count);
        _entryLengths.Write(_entryLengthValues.AsSpan(0, _dictionary.Count), output);
        var entries = output.Reserve(_dictionaryDataBytes);
        var at = 0;
        for (var e = 0; e < _dictionary.Count; e++)
        {
            var entry = _dictionary.Entry(e);
            entry.CopyTo(entries[at..]);
            at += entry.Length;
        }
        _codes.Write(_codeValues.AsSpan(0, _rows), output);
    }

    private static void Grow(ref long[] array, int count)
    {
        if (array.Length < count) array = new long[Math.Max(count, array.Length * 2)];
    }
}
