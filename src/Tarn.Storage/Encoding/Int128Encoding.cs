using System.Buffers;
using System.Runtime.InteropServices;
using Tarn.Storage.Segments;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Streams of 128-bit integers (DECIMAL with precision above 18): PLAIN (16 bytes each), FOR when the range fits
/// in 64 bits (i128 reference + bit-packed offsets), RLE (u32 runs, run values as 16-byte PLAIN, packed lengths - 1)
/// and DICTIONARY (u32 entries, ascending 16-byte entries, packed codes).
/// </summary>
internal sealed class Int128StreamEncoder
{
    private readonly long[] _sizes = new long[EncodingChooser.SizeSlots];
    private readonly Dictionary<Int128, int> _lookup = [];
    private Int128[] _entries = [];
    private int[] _codes = [];
    private int _entryCount;
    private bool _dictionaryBuilt;
    private int _runs;
    private int _maxRun;
    private int _count;
    private long _sketchEstimate;

    public Int128 Min { get; private set; }
    public Int128 Max { get; private set; }
    public DistinctSketch Sketch { get; } = new();
    public ChunkEncoding Chosen { get; private set; }
    public long SizeOf(ChunkEncoding encoding) => _sizes[(int)encoding];

    public long DistinctEstimate =>
        _count == 0 ? 0 : _dictionaryBuilt ? _entryCount : Math.Clamp(_sketchEstimate, 1, Math.Min(_count, _runs));

    public bool DistinctIsExact => _dictionaryBuilt;

    private int RangeWidth => (UInt128)Max - (UInt128)Min > ulong.MaxValue ? -1 : BitPacking.Width((ulong)((UInt128)Max - (UInt128)Min));

    public void Analyze(ReadOnlySpan<Int128> values, bool forceDictionary = false)
    {
        _count = values.Length;
        _dictionaryBuilt = false;
        Sketch.Clear();
        _sizes.AsSpan().Fill(-1);
        _sizes[(int)ChunkEncoding.Plain] = 1 + 16L * values.Length;
        if (values.IsEmpty)
        {
            Chosen = ChunkEncoding.Plain;
            _sketchEstimate = 0;
            return;
        }
        Int128 min = values[0], max = values[0];
        int runs = 1, maxRun = 1, run = 1;
        Sketch.Add(Hashing.Mix(values[0]));
        for (var i = 1; i < values.Length; i++)
        {
            var v = values[i];
            if (v < min) min = v;
            if (v > max) max = v;
            if (v == values[i - 1])
            {
                run++;
                continue;
            }
            maxRun = Math.Max(maxRun, run);
            run = 1;
            runs++;
            Sketch.Add(Hashing.Mix(v));
        }
        Min = min;
        Max = max;
        _runs = runs;
        _maxRun = Math.Max(maxRun, run);
        _sketchEstimate = Sketch.Estimate();
        var width = RangeWidth;
        if (width >= 0) _sizes[(int)ChunkEncoding.FrameOfReference] = 1 + 16 + 1 + BitPacking.ByteCount(values.Length, width);
        _sizes[(int)ChunkEncoding.Rle] = 1 + 4 + 16L * _runs + 1 + BitPacking.ByteCount(_runs, LengthWidth);
        var best = long.MaxValue;
        foreach (var s in _sizes) if (s >= 0 && s < best) best = s;
        var low = Math.Clamp(Math.Min(_runs, (long)(_sketchEstimate * 0.85)), 1, values.Length);
        if (forceDictionary || (low <= DictionaryEncoding.MaxEntries && DictionarySize(values.Length, (int)low) < best))
            TryBuildDictionary(values);
        Chosen = EncodingChooser.Choose(_sizes);
    }

    private int LengthWidth => BitPacking.Width((ulong)(_maxRun - 1));

    private static long DictionarySize(int count, int entries) =>
        1 + 4 + 16L * entries + 1 + BitPacking.ByteCount(count, DictionaryEncoding.CodeWidth(entries));

    private void TryBuildDictionary(ReadOnlySpan<Int128> values)
    {
        _lookup.Clear();
        if (_codes.Length < values.Length) _codes = new int[values.Length];
        var max = Math.Min(values.Length, DictionaryEncoding.MaxEntries);
        for (var i = 0; i < values.Length; i++)
        {
            if (!_lookup.TryGetValue(values[i], out var code))
            {
                if (_lookup.Count == max) return;
                code = _lookup.Count;
                _lookup.Add(values[i], code);
            }
            _codes[i] = code;
        }
        _entryCount = _lookup.Count;
        if (_entries.Length < _entryCount) _entries = new Int128[_entryCount];
        var order = new int[_entryCount];
        foreach (var (value, code) in _lookup)
        {
            _entries[code] = value;
            order[code] = code;
        }
        Array.Sort(_entries, order, 0, _entryCount);
        var remap = new int[_entryCount];
        for (var i = 0; i < _entryCount; i++) remap[order[i]] = i;
        for (var i = 0; i < values.Length; i++) _codes[i] = remap[_codes[i]];
        _dictionaryBuilt = true;
        _sizes[(int)ChunkEncoding.Dictionary] = DictionarySize(values.Length, _entryCount);
    }

    public void Write(ReadOnlySpan<Int128> values, EncodeBuffer output) => Write(values, Chosen, output);

    public void Write(ReadOnlySpan<Int128> values, ChunkEncoding encoding, EncodeBuffer output)
    {
        if (values.Length != _count || _sizes[(int)encoding] < 0)
            throw new InvalidOperationException($"{encoding} was not analyzed for this stream");
        output.WriteByte((byte)encoding);
        switch (encoding)
        {
            case ChunkEncoding.Plain:
                output.WriteBytes(MemoryMarshal.AsBytes(values));
                break;
            case ChunkEncoding.FrameOfReference:
            {
                var width = RangeWidth;
                output.WriteInt128(Min);
                output.WriteByte((byte)width);
                var packed = output.Reserve(BitPacking.ByteCount(values.Length, width));
                BitPacking.Pack(new Int128OffsetSource(values, Min), values.Length, width, packed);
                break;
            }
            case ChunkEncoding.Rle:
                WriteRuns(values, output);
                break;
            case ChunkEncoding.Dictionary:
                output.WriteUInt32((uint)_entryCount);
                output.WriteBytes(MemoryMarshal.AsBytes(_entries.AsSpan(0, _entryCount)));
                DictionaryEncoding.WriteCodes(_codes.AsSpan(0, values.Length), _entryCount, output);
                break;
            default:
                throw new InvalidOperationException($"{encoding} is not an Int128 encoding");
        }
    }

    private void WriteRuns(ReadOnlySpan<Int128> values, EncodeBuffer output)
    {
        var lengths = ArrayPool<int>.Shared.Rent(_runs);
        try
        {
            output.WriteUInt32((uint)_runs);
            var r = 0;
            var start = 0;
            for (var i = 1; i <= values.Length; i++)
            {
                if (i < values.Length && values[i] == values[start]) continue;
                output.WriteInt128(values[start]);
                lengths[r++] = i - start;
                start = i;
            }
            var width = LengthWidth;
            output.WriteByte((byte)width);
            BitPacking.Pack(new IntSource(lengths.AsSpan(0, r), 1), r, width, output.Reserve(BitPacking.ByteCount(r, width)));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }
}

/// <summary>Decodes streams written by <see cref="Int128StreamEncoder"/>.</summary>
internal static class Int128Stream
{
    public static ChunkEncoding Read(ref PayloadReader reader, Span<Int128> destination)
    {
        var encoding = LongStream.ReadEncoding(ref reader, EncodingSet.Int128s);
        var n = destination.Length;
        switch (encoding)
        {
            case ChunkEncoding.Plain:
                PlainEncoding.Read(ref reader, destination);
                break;
            case ChunkEncoding.FrameOfReference:
            {
                var reference = reader.ReadInt128();
                var packed = reader.ReadPacked(n, 64, out var width);
                BitPacking.UnpackAdd(packed, width, reference, destination);
                break;
            }
            case ChunkEncoding.Rle:
            {
                if (n == 0) reader.Fail("RLE stream with no values");
                var runs = reader.ReadCount("run count", 1, n);
                var values = MemoryMarshal.Cast<byte, Int128>(reader.ReadBytes(16L * runs));
                var packed = reader.ReadPacked(runs, 32, out var width);
                var position = 0;
                for (var i = 0; i < runs; i++)
                {
                    var length = (long)BitPacking.ReadValue(packed, (long)i * width, width) + 1;
                    if (length > n - position) reader.Fail($"RLE runs cover more than {n} values");
                    destination.Slice(position, (int)length).Fill(values[i]);
                    position += (int)length;
                }
                if (position != n) reader.Fail($"RLE runs cover {position} values, expected {n}");
                break;
            }
            case ChunkEncoding.Dictionary:
            {
                if (n == 0) reader.Fail("DICTIONARY stream with no values");
                var d = reader.ReadCount("dictionary size", 1, n);
                var entries = MemoryMarshal.Cast<byte, Int128>(reader.ReadBytes(16L * d));
                var packed = reader.ReadPacked(n, 32, out var width);
                var codes = ArrayPool<int>.Shared.Rent(n);
                try
                {
                    var span = codes.AsSpan(0, n);
                    BitPacking.UnpackAdd(packed, width, 0, span);
                    DictionaryEncoding.CheckCodes(ref reader, span, width, d);
                    for (var i = 0; i < n; i++) destination[i] = entries[span[i]];
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(codes);
                }
                break;
            }
        }
        return encoding;
    }
}
