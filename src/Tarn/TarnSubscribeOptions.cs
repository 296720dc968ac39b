namespace Tarn;

/// <summary>
/// How a subscription (<see cref="TarnSession.SubscribeAsync(string, TarnSubscribeOptions, CancellationToken)"/>) reports
/// its result, after Materialize's <c>SUBSCRIBE ... WITH (SNAPSHOT = ..., PROGRESS = ...)</c>.
/// </summary>
public sealed record TarnSubscribeOptions
{
    /// <summary>The snapshot and nothing more: the result as it stands, then every change.</summary>
    public static readonly TarnSubscribeOptions Default = new();

    /// <summary>
    /// True (the default): the first step yields the whole result as it stands (+I rows), then changes follow. False:
    /// the result as it stands is computed (a stateful query needs it) but not yielded; only changes committed after
    /// the subscription started follow.
    /// </summary>
    public bool Snapshot { get; init; } = true;

    /// <summary>
    /// True: besides the changes, batches with <see cref="TarnChangeBatch.IsProgress"/> (and no rows) say that every
    /// change before their <see cref="TarnChangeBatch.Timestamp"/> has been yielded: one before the first step, then
    /// one whenever the database committed something (the subscription's input advanced), even if the result did not change.
    /// </summary>
    public bool Progress { get; init; }
}
