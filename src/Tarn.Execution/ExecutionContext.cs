namespace Tarn.Execution;

/// <summary>
/// Per-query settings and services shared by the operators of one query (thread-safe to read).
/// </summary>
public sealed class ExecutionContext
{
    private readonly MemoryBudget _memory;

    public ExecutionContext() => _memory = new MemoryBudget(DefaultMemoryLimit());

    /// <summary>Canceled when the statement is canceled or times out; operators check it once per batch.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Canceled when the statement timeout elapsed (<see cref="Cancellation"/> is canceled too); only decides whether
    /// 57014 says "statement timeout" or "user request".
    /// </summary>
    public CancellationToken Timeout { get; init; }

    /// <summary>
    /// Where sort, hash join and hash aggregation write spill files when the memory limit is reached (created on first
    /// use; each file is deleted when its operator is disposed). Null disables spilling: those operators then fail with
    /// 53200 like the others.
    /// </summary>
    public string? SpillDirectory { get; init; }

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
    /// Memory that blocking operators (sort, hash aggregation, joins) may hold in total for this query. Operators that
    /// can spill do so when it is reached (with a <see cref="SpillDirectory"/>); the others raise 53200 (out of memory).
    /// Default: 80% of the memory available to the process.
    /// </summary>
    public long MemoryLimitBytes
    {
        get => _memory.Limit;
        init => _memory = new MemoryBudget(value);
    }

    /// <summary>
    /// Inside a multi-statement transaction: the version each table is read at (the transaction's snapshot plus its
    /// staged writes), or null for a table the transaction does not pin (then the newest committed version is read).
    /// The transaction keeps the files of the versions it returns alive.
    /// </summary>
    public Func<long, Tarn.Storage.Tables.TableVersion?>? PinnedTables { get; init; }

    /// <summary>Readers for connector tables (null: connector tables cannot be read).</summary>
    public Sources.IConnectorSources? Connectors { get; init; }

    /// <summary>The session running the query, for CURRENT_SETTING, NEXTVAL and CURRVAL (null: those functions fail).</summary>
    public Session.ISessionServices? Session { get; init; }

    /// <summary>
    /// DuckDB's <c>scalar_subquery_error_on_multiple_rows</c>: when false, a scalar subquery with several rows yields
    /// its first row instead of failing with 21000.
    /// </summary>
    public bool ScalarSubqueryErrorOnMultipleRows { get; init; } = true;

    /// <summary>Where long-running sources (file scans) report how far they got (null: nobody listens).</summary>
    public IProgress<QueryProgress>? Progress { get; init; }

    /// <summary>Rows per output batch of blocking operators.</summary>
    public int BatchSize { get; init; } = 8192;

    /// <summary>
    /// Streaming: how long keyed state that is not updated is kept (<c>table.exec.state.ttl</c>, Flink's option; zero
    /// keeps it forever). Expired state is never read back: a key that returns after it expired starts afresh.
    /// </summary>
    public TimeSpan StateTtl { get; init; }

    public MemoryBudget Memory => _memory;

    /// <summary>Throws 57014 when the query was canceled; operators call this once per batch.</summary>
    public void ThrowIfCanceled()
    {
        if (Cancellation.IsCancellationRequested) throw CanceledError();
    }

    /// <summary>The 57014 error for a canceled statement, worded for a timeout or a user request.</summary>
    public TarnException CanceledError() => new(SqlStates.QueryCanceled, Timeout.IsCancellationRequested
        ? "canceling statement due to statement timeout"
        : "canceling statement due to user request");

    private static long DefaultMemoryLimit()
    {
        // Asking the GC costs microseconds, as much as a whole point lookup: look again at most once a second.
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref s_memoryCheckedAt) < 1000 && Volatile.Read(ref s_defaultMemoryLimit) is > 0 and var cached) return cached;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var limit = available > 0 ? available / 5 * 4 : long.MaxValue;
        Volatile.Write(ref s_defaultMemoryLimit, limit);
        Volatile.Write(ref s_memoryCheckedAt, now);
        return limit;
    }

    private static long s_defaultMemoryLimit;
    private static long s_memoryCheckedAt;
}
