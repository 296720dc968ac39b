using CsCheck;

namespace Tarn.Storage.Tests.Encodings;

/// <summary>
/// Generators for the data shapes encodings care about: random, sorted, reversed, constant, low-cardinality,
/// runs, dense counters, nearly sorted timestamps and edge values, within a type's range.
/// </summary>
internal static class ValueShapes
{
    public const int ShapeCount = 10;

    /// <summary>Lengths: mostly small (edge cases at 0, 1, 7, 8, 9), sometimes a few thousand.</summary>
    public static readonly Gen<int> Length = Gen.Frequency(
        (6, Gen.Int[0, 70]),
        (1, Gen.OneOf(0, 1, 2, 7, 8, 9, 63, 64, 65)),
        (2, Gen.Int[70, 3000]));

    public static Gen<long[]> Longs(long min, long max) =>
        Gen.Select(Gen.Int[0, ShapeCount - 1], Length, Gen.ULong, (shape, n, seed) => Build(shape, n, seed, min, max));

    public static long[] Build(int shape, int n, ulong seed, long min, long max)
    {
        var rnd = new Random((int)seed ^ (int)(seed >> 32));
        var values = new long[n];
        long Any() => min + (long)(rnd.NextDouble() * ((double)max - min));
        long Clamp(long v) => Math.Clamp(v, min, max);
        long[] edges = [min, max, Clamp(0), Clamp(-1), Clamp(1), Clamp(min + 1), Clamp(max - 1)];
        switch (shape)
        {
            case 0:
                for (var i = 0; i < n; i++) values[i] = rnd.Next(4) == 0 ? edges[rnd.Next(edges.Length)] : Any();
                break;
            case 1:
            {
                var b = Any();
                for (var i = 0; i < n; i++) values[i] = Clamp(b + rnd.Next(16));
                break;
            }
            case 2:
                for (var i = 0; i < n; i++) values[i] = Any();
                Array.Sort(values);
                break;
            case 3:
                for (var i = 0; i < n; i++) values[i] = Any();
                Array.Sort(values);
                Array.Reverse(values);
                break;
            case 4:
                Array.Fill(values, edges[rnd.Next(edges.Length)]);
                break;
            case 5:
            {
                long[] pool = [edges[rnd.Next(edges.Length)], Any(), Any(), Any(), Any()];
                for (var i = 0; i < n; i++) values[i] = pool[rnd.Next(pool.Length)];
                break;
            }
            case 6:
            {
                var start = Any();
                for (var i = 0; i < n; i++) values[i] = Clamp(start + i);
                break;
            }
            case 7:
            {
                var v = Any();
                for (var i = 0; i < n; i++)
                {
                    if (rnd.Next(20) == 0) v = Any();
                    values[i] = v;
                }
                break;
            }
            case 8:
                for (var i = 0; i < n; i++) values[i] = edges[rnd.Next(edges.Length)];
                break;
            default:
            {
                // Timestamps: a step plus jitter, wrapping like the encoder does for extreme starts.
                var t = Any();
                for (var i = 0; i < n; i++) values[i] = Clamp(unchecked(t + i * 3L + rnd.Next(60)));
                break;
            }
        }
        return values;
    }

    /// <summary>A null mask: none, all, random density, or leading/trailing blocks.</summary>
    public static byte[]? Nulls(int n, ulong seed)
    {
        var rnd = new Random((int)(seed >> 7));
        var kind = rnd.Next(6);
        if (kind == 0 || n == 0) return null;
        var mask = new byte[n];
        switch (kind)
        {
            case 1: Array.Fill(mask, (byte)1); break;
            case 2: for (var i = 0; i < n; i++) mask[i] = (byte)(rnd.Next(10) == 0 ? 1 : 0); break;
            case 3: for (var i = 0; i < n; i++) mask[i] = (byte)(rnd.Next(2) == 0 ? 1 : 0); break;
            case 4: for (var i = 0; i < n / 3; i++) mask[i] = 1; break;
            default: for (var i = n / 2; i < n; i++) mask[i] = (byte)rnd.Next(1, 256); break;
        }
        return mask;
    }
}
