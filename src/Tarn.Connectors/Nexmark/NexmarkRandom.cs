namespace Tarn.Connectors.Nexmark;

/// <summary>
/// The random stream of one event: SplitMix64 started from a hash of (seed, event id). Seeding per event (as the
/// original Beam generator does with <c>new Random(eventId)</c>) is what makes the generator positionable: event n
/// can be produced without producing the events before it, and always comes out the same.
/// </summary>
internal struct NexmarkRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public NexmarkRandom(ulong seed, long stream)
    {
        _state = Mix(seed + Gamma) ^ Mix((ulong)stream * Gamma + 0xD1B54A32D192ED03UL);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, n) for n ≥ 1 (Lemire's multiply-shift on the high 32 bits).</summary>
    public int NextInt(int n) => (int)(((NextULong() >> 32) * (ulong)n) >> 32);

    /// <summary>The spec's nextLong(n): nextInt(n) below 2^31-1, else a 64-bit draw modulo n.</summary>
    public long NextLong(long n) => n < int.MaxValue ? NextInt((int)n) : (long)(NextULong() % (ulong)n);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
}
