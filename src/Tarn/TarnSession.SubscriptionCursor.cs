using Tarn.Internal;

namespace Tarn;

public sealed partial class TarnSession
{
    /// <summary>
    /// Opens a cursor over durable subscription <paramref name="subscription"/> ('name', 'database.name' or
    /// 'catalog.database.name'; see CREATE SUBSCRIPTION) from <paramref name="start"/> (RisingWave's DECLARE ...
    /// SUBSCRIPTION CURSOR). Needs SELECT on the subscribed table.
    /// </summary>
    public Task<TarnSubscriptionCursor> DeclareSubscriptionCursorAsync(string subscription, TarnSubscriptionStart start, CancellationToken cancellation = default) =>
        StatementRunner.DeclareSubscriptionCursorAsync(this, subscription, start, cancellation);
}
