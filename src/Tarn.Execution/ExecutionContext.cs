namespace Tarn.Execution;

/// <summary>
/// Per-query settings and services shared by the operators of one query (thread-safe to read).
/// </summary>
public sealed class ExecutionContext
{
    private readonly MemoryBudget _memory;

    public ExecutionContext() => _memory = new MemoryBudget(DefaultMemoryLimit());

    public CancellationToken Cancellation { get; init; }

    /// <summary>Worker threads for parallel pipelines; at least 1.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Values of <c>BoundParameter</c>s by index, as CLR values the public API accepts (int, long, decimal,
    /// string, DateTime, DateOnly, byte[], ...); they are converted to the parameter's type when an expression is compiled.
    /// </summary>
    public IReadOnlyList<object?> Parameters { get; init; } = [];

    /// <summary>The statement's start time: CURRENT_TIMESTAMP/NOW and friends return it for every row.</summary>
    public DateTimeOffset QueryStart { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Zone for TIMESTAMP_LTZ conversions, LOCALTIMESTAMP and CURRENT_DATE.</summary>
    public TimeZoneInfo SessionTimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Memory that blocking operators (sort, hash aggregation) may hold in total for this query. Exceeding it raises
    /// 53200 (out of memory) until spilling exists. Default: 80% of the memory available to the process.
    /// </summary>
    public long MemoryLimitBytes
    {
        get => _memory.Limit;
        init => _memory = new MemoryBudget(value);
    }

    /// <summary>Readers for connector tables (null: connector tables cannot be read).</summary>
    public Sources.IConnectorSources? Connectors { get; init; }

    /// <summary>Rows per output batch of blocking operators.</summary>
    public int BatchSize { get; init; } = 8192;

    public MemoryBudget Memory => _memory;

    /// <summary>Throws 57014 when the query was canceled; operators call this once per batch.</summary>
    public void ThrowIfCanceled()
    {
        if (Cancellation.IsCancellationRequested)
            throw new TarnException(SqlStates.QueryCanceled, "canceling statement due to user request");
    }

    private static long DefaultMemoryLimit()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / 5 * 4 : long.MaxValue;
    }
}
