using Tarn.Server.Hosting;

namespace Tarn.Server.PgWire;

internal sealed partial class PgConnection
{
    /// <summary>The server's counters: requests in flight (for graceful shutdown), queries, errors, inserted rows.</summary>
    public ServerMetrics Metrics { get; init; } = new();

    private Task<TarnResult> MeasuredAsync(string sql, Func<Task<TarnResult>> run) => Metrics.MeasureAsync(ServerProtocol.PgWire, sql, run);
}
