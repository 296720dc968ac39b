namespace Tarn.Execution;

/// <summary>
/// The memory a query's blocking operators may hold, shared by all its threads. Operators reserve before they
/// grow and release when they shrink or finish. When a reservation does not fit, <see cref="Reserve"/> raises 53200;
/// operators that can spill (sort, hash join, hash aggregation) call <see cref="TryReserve"/> instead and spill when
/// it fails.
/// </summary>
public sealed class MemoryBudget
{
    private long _used;

    public MemoryBudget(long limit) => Limit = limit <= 0 ? long.MaxValue : limit;

    public long Limit { get; }

    public long Used => Interlocked.Read(ref _used);

    /// <summary>
    /// Where operators that can spill start spilling: three quarters of the limit. The last quarter is kept for the
    /// operators that cannot spill (and for the bounded overshoot of a spilling operator), so a query whose sort or
    /// hash table spilled does not then fail in a small operator above it.
    /// </summary>
    public long SpillThreshold => Limit == long.MaxValue ? long.MaxValue : Limit - Limit / 4;

    /// <summary>Reserves when the total stays within <see cref="SpillThreshold"/>; false otherwise (the caller spills).</summary>
    public bool TryReserveForSpillable(long bytes)
    {
        if (bytes <= 0) return true;
        var threshold = SpillThreshold;
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            var next = used + bytes;
            if (next > threshold || next < used) return false;
            if (Interlocked.CompareExchange(ref _used, next, used) == used) return true;
        }
    }

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
            $"({Mb(Used)} in use) and it cannot spill to disk");
    }

    /// <summary>Reserves even beyond the limit: for the bounded overshoot of an operator that is about to spill.</summary>
    public void ForceReserve(long bytes)
    {
        if (bytes > 0) Interlocked.Add(ref _used, bytes);
    }

    public void Release(long bytes)
    {
        if (bytes > 0) Interlocked.Add(ref _used, -bytes);
    }

    internal static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
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

    /// <summary>
    /// For operators that can spill: like <see cref="SetSize"/> but within the budget's
    /// <see cref="MemoryBudget.SpillThreshold"/>, returning false (and keeping the old size) instead of raising 53200.
    /// </summary>
    public bool TrySetSize(long bytes)
    {
        if (bytes > Bytes)
        {
            if (!_budget.TryReserveForSpillable(bytes - Bytes)) return false;
        }
        else _budget.Release(Bytes - bytes);
        Bytes = bytes;
        return true;
    }

    /// <summary>Sets the size even beyond the limit (the caller spills right after).</summary>
    public void ForceSize(long bytes)
    {
        if (bytes > Bytes) _budget.ForceReserve(bytes - Bytes);
        else _budget.Release(Bytes - bytes);
        Bytes = bytes;
    }

    public void Dispose()
    {
        _budget.Release(Bytes);
        Bytes = 0;
    }
}
