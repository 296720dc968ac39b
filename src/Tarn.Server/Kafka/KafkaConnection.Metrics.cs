using Tarn.Server.Hosting;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>The server's counters: requests in flight (for graceful shutdown), produced and fetched records.</summary>
    public ServerMetrics Metrics { get; init; } = new();
}
