namespace Tarn.Execution;

/// <summary>
/// The memory a query's blocking operators may hold, shared by all its threads. Operators reserve before they
/// grow and release when they shrink or finish. When a reservation does not fit, <see cref="Reserve"/> raises 53200;
/// operators that learn to spill will call <see cref="TryReserve"/> instead and spill when it fails.
/// </summary>
public sealed class MemoryBudget
{
    private long _used;

    public MemoryBudget(long limit) => Limit = limit <= 0 ? long.MaxValue : limit;

    public long Limit { get; }

    public long Used => Interlocked.Read(ref _used);

    public bool TryReserve(long bytes)
    {
        if (bytes <= 0) return true;
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            var next = used + bytes;
            if (next > Limit || next < used) return false;
            if (Interlocked.CompareExchange(ref _used, next, used) == used) return true;
        }
    }

    public void Reserve(long bytes, string consumer)
    {
        if (TryReserve(bytes)) return;
        throw new TarnException(SqlStates.OutOfMemory,
            $"out of memory: {consumer} needs {Mb(bytes)} more but the query memory limit of {Mb(Limit)} is reached " +
            $"({Mb(Used)} in use); spilling to disk is not supported yet");
    }

    public void Release(long bytes)
    {
        if (bytes > 0) Interlocked.Add(ref _used, -bytes);
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}

/// <summary>One operator's share of a <see cref="MemoryBudget"/>: tracks its current size and reserves the growth.</summary>
public sealed class MemoryReservation : IDisposable
{
    private readonly MemoryBudget _budget;
    private readonly string _consumer;

    public MemoryReservation(MemoryBudget budget, string consumer)
    {
        _budget = budget;
        _consumer = consumer;
    }

    public long Bytes { get; private set; }

    /// <summary>Adjusts the reservation to <paramref name="bytes"/> in total (53200 when it does not fit).</summary>
    public void SetSize(long bytes)
    {
        if (bytes > Bytes) _budget.Reserve(bytes - Bytes, _consumer);
        else _budget.Release(Bytes - bytes);
        Bytes = bytes;
    }

    public void Dispose()
    {
        _budget.Release(Bytes);
        Bytes = 0;
    }
}
