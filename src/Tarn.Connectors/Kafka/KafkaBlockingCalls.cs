using Confluent.Kafka;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// Runs the consumer thread's blocking broker requests (metadata, watermark offsets, committed offsets, offsets for
/// times) in short slices, so that closing the source stops a request to an unreachable broker within a slice instead
/// of after librdkafka's whole timeout, and so that a broker that cannot be reached fails the read after
/// <see cref="ConnectTimeout"/> with the broker's address rather than the 30 s API timeout.
/// </summary>
internal sealed class KafkaBlockingCalls(TimeSpan timeout, CancellationToken stop)
{
    /// <summary>How long a request waits before giving up; a stop request is noticed between slices.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a request waits for a broker before the read fails (Flink's connector fails a job likewise).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The whole wait: the table's <c>default.api.timeout.ms</c> (30 s by default), at most <see cref="ConnectTimeout"/>.</summary>
    public TimeSpan Timeout { get; } = timeout < ConnectTimeout ? timeout : ConnectTimeout;

    /// <summary>
    /// Calls <paramref name="request"/> with slice timeouts until it answers, fails other than by timing out, the
    /// whole timeout passes (the last timeout error is thrown) or the source stops (<see cref="OperationCanceledException"/>).
    /// </summary>
    public T Run<T>(Func<TimeSpan, T> request)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            var left = deadline - DateTime.UtcNow;
            var slice = left < Slice ? left : Slice;
            if (slice < TimeSpan.FromMilliseconds(1)) slice = TimeSpan.FromMilliseconds(1);
            try
            {
                return request(slice);
            }
            catch (KafkaException e) when (TimedOut(e.Error.Code) && DateTime.UtcNow < deadline && !stop.IsCancellationRequested)
            {
                // no answer within the slice: ask again
            }
        }
    }

    /// <summary>The error of a request no broker answered within the whole timeout: the broker address, what was asked, librdkafka's last error.</summary>
    public static TarnException Unreachable(KafkaTable table, KafkaBlockingCalls calls, string what, KafkaException e, string? lastError) =>
        new(SqlStates.CannotConnect,
            $"kafka table '{table.Name}': cannot connect to Kafka at {table.Options.Properties["bootstrap.servers"]}: no answer for {what} within {calls.Timeout.TotalSeconds:0.#} s ({e.Error.Reason}{(lastError is null || lastError == e.Error.Reason ? "" : "; " + lastError)})");

    /// <summary>Errors a request gives while no broker answers (yet).</summary>
    public static bool TimedOut(ErrorCode code) =>
        code is ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown;
}
