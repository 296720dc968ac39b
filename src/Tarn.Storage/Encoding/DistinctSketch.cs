using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tarn.Storage.Encodings;

/// <summary>
/// HyperLogLog with 2^10 one-byte registers (standard error about 3%), for the distinct-count estimates in
/// chunk and segment statistics. Sketches of chunks merge into the segment's sketch register by register.
/// </summary>
internal sealed class DistinctSketch
{
    private const int IndexBits = 10;
    private const int RegisterCount = 1 << IndexBits;
    private static readonly double[] InversePowers = CreateInversePowers();
    private readonly byte[] _registers = new byte[RegisterCount];

    private static double[] CreateInversePowers()
    {
        var table = new double[66];
        for (var i = 0; i < table.Length; i++) table[i] = Math.ScaleB(1.0, -i);
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - IndexBits));
        // Rank = position of the first set bit in the remaining 54 bits; the sentinel bit caps it at 55.
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << IndexBits) | (1UL << (IndexBits - 1))) + 1);
        ref var r = ref _registers[index];
        if (rank > r) r = rank;
    }

    public void Merge(DistinctSketch other)
    {
        for (var i = 0; i < RegisterCount; i++)
            if (other._registers[i] > _registers[i]) _registers[i] = other._registers[i];
    }

    public void Clear() => Array.Clear(_registers);

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in _registers)
        {
            sum += InversePowers[r];
            if (r == 0) zeros++;
        }
        const double m = RegisterCount;
        var alpha = 0.7213 / (1 + 1.079 / m);
        var estimate = alpha * m * m / sum;
        // Small cardinalities: linear counting over empty registers is far more accurate.
        if (estimate <= 2.5 * m && zeros > 0) estimate = m * Math.Log(m / zeros);
        return (long)Math.Round(estimate);
    }
}
