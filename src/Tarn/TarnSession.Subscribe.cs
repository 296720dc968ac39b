using Tarn.Internal;

namespace Tarn;

public sealed partial class TarnSession
{
    /// <summary>
    /// Subscribes to a query's result as it changes (Flink's SQL client SELECT): <c>await foreach (var changes in
    /// session.SubscribeAsync(sql, token))</c>. The query is bound now (its errors are thrown by this call) and run by
    /// the streaming runtime, whatever <c>'execution.runtime-mode'</c> says, each time the returned
    /// <see cref="TarnSubscription"/> is enumerated; it yields the changes and keeps waiting for new commits to its
    /// source tables until <paramref name="cancellation"/> (or the enumeration's own token) is cancelled.
    /// </summary>
    public TarnSubscription SubscribeAsync(string sql, CancellationToken cancellation = default) =>
        SubscribeAsync(sql, TarnParameters.None, cancellation);

    /// <summary>As <see cref="SubscribeAsync(string, CancellationToken)"/>, with values for the query's placeholders.</summary>
    public TarnSubscription SubscribeAsync(string sql, TarnParameters parameters, CancellationToken cancellation = default)
    {
        var (plan, columns) = StatementRunner.BindSubscription(this, sql, parameters);
        return new TarnSubscription(this, plan, columns, TarnSubscribeOptions.Default, cancellation);
    }

    /// <summary>
    /// As <see cref="SubscribeAsync(string, CancellationToken)"/>, with Materialize's options: skip the snapshot
    /// (<see cref="TarnSubscribeOptions.Snapshot"/>) and/or report progress (<see cref="TarnSubscribeOptions.Progress"/>).
    /// </summary>
    public TarnSubscription SubscribeAsync(string sql, TarnSubscribeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (plan, columns) = StatementRunner.BindSubscription(this, sql, TarnParameters.None);
        return new TarnSubscription(this, plan, columns, options, cancellation);
    }
}
