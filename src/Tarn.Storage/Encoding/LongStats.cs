namespace Tarn.Storage.Encodings;

/// <summary>
/// What one pass over a stream of 64-bit integers learns, enough to compute the exact encoded size of
/// PLAIN, FOR, DELTA and RLE without encoding (storage-spec/04-encodings.md, "Choosing an encoding").
/// Deltas wrap modulo 2^64, exactly as the DELTA decoder adds them back.
/// </summary>
internal struct LongStats
{
    public int Count;
    public long Min;
    public long Max;
    public long MinDelta;
    public long MaxDelta;
    public int Runs;
    public int MaxRun;

    public static LongStats Compute(ReadOnlySpan<long> values, DistinctSketch? sketch)
    {
        var s = new LongStats { Count = values.Length };
        if (values.IsEmpty) return s;
        var prev = values[0];
        long min = prev, max = prev;
        long minDelta = long.MaxValue, maxDelta = long.MinValue;
        int runs = 1, maxRun = 1, run = 1;
        sketch?.Add(Hashing.Mix((ulong)prev));
        for (var i = 1; i < values.Length; i++)
        {
            var v = values[i];
            var d = unchecked(v - prev);
            if (v < min) min = v;
            if (v > max) max = v;
            if (d < minDelta) minDelta = d;
            if (d > maxDelta) maxDelta = d;
            if (d == 0)
            {
                run++;
            }
            else
            {
                if (run > maxRun) maxRun = run;
                run = 1;
                runs++;
                // Equal neighbours hash alike; hashing only at value changes keeps runs cheap.
                sketch?.Add(Hashing.Mix((ulong)v));
            }
            prev = v;
        }
        if (run > maxRun) maxRun = run;
        if (values.Length == 1) minDelta = maxDelta = 0;
        s.Min = min;
        s.Max = max;
        s.MinDelta = minDelta;
        s.MaxDelta = maxDelta;
        s.Runs = runs;
        s.MaxRun = maxRun;
        return s;
    }

    /// <summary>Bits per value of FOR: enough for max - min.</summary>
    public readonly int RangeWidth => BitPacking.Width(unchecked((ulong)(Max - Min)));

    /// <summary>Bits per value of DELTA: enough for maxDelta - minDelta.</summary>
    public readonly int DeltaWidth => BitPacking.Width(unchecked((ulong)(MaxDelta - MinDelta)));
}
