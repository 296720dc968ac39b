namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// The benchmark table of the foundation issue, generated deterministically (SplitMix64, seed 42) exactly as the
/// baseline measurements describe it: orders(id, user_id, amount, status, ts); user_id skewed (half of the orders
/// go to the first 10 % of 100,000 users), amount 0.00–999.99, status one of 5 values, ts nearly sorted
/// (3 s per row plus up to 60 s of jitter, microsecond precision).
/// </summary>
internal struct OrdersData
{
    public static readonly string[] Statuses = ["created", "paid", "shipped", "delivered", "cancelled"];
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    private const int Users = 100_000;
    private ulong _state;

    public OrdersData(ulong seed) => _state = seed;

    private ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public void Row(long i, out long id, out long userId, out double amount, out string status, out long tsMicros)
    {
        id = i;
        var r = Next();
        userId = (r & 1) == 0 ? (long)((r >> 1) % (Users / 10)) : (long)((r >> 1) % Users);
        amount = (long)(Next() % 100_000) / 100.0;
        status = Statuses[Next() % 5];
        var jitter = (long)(Next() % 60_000_000UL);
        tsMicros = i * 3_000_000L + jitter;
    }

    public static DateTime ToDateTime(long micros) => Start.AddTicks(micros * 10);
}
