using Tarn.Catalog.Model;
using Tarn.Catalog.Options;
using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// RisingWave's durable subscriptions: CREATE SUBSCRIPTION name FROM table WITH (retention = '1h'), DROP SUBSCRIPTION,
/// SHOW SUBSCRIPTIONS. The subscription lives in the catalog and holds a consumer on the table (CAT-010); cursors over
/// it are declared with <see cref="TarnSession.DeclareSubscriptionCursorAsync"/>. SELECT on the table is needed.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>RisingWave's retention when none is given: a day.</summary>
    private const long DefaultRetentionMillis = 24 * 3600 * 1000;

    private static Task<TarnResult> RunSubscriptionAsync(TarnSession session, Statement statement) => statement switch
    {
        CreateSubscriptionStatement c => CreateSubscriptionAsync(session, c),
        DropSubscriptionStatement d => DropSubscriptionAsync(session, d),
        ShowSubscriptionsStatement => Task.FromResult(ShowSubscriptions(session)),
        _ => throw NotYet(statement, StatementName(statement)),
    };

    private static async Task<TarnResult> CreateSubscriptionAsync(TarnSession session, CreateSubscriptionStatement create)
    {
        var retention = DefaultRetentionMillis;
        foreach (var (key, value) in create.Options)
        {
            if (key != "retention")
                throw new TarnException(SqlStates.InvalidParameterValue, $"unknown subscription option '{key}' (retention is known) at {create.Position}", create.Position);
            if (!DurationText.TryParse(value, out var d) || d <= TimeSpan.Zero)
                throw new TarnException(SqlStates.InvalidParameterValue, $"retention '{value}' is not a positive duration such as '1h' or '1 day' at {create.Position}", create.Position);
            retention = (long)d.TotalMilliseconds;
        }
        var table = PathOf(session, create.Table);
        var name = PathOf(session, create.Name);
        await session.Core.Catalog.CreateSubscriptionAsync(name, table, retention, NowMicros(), create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, "CREATE_SUBSCRIPTION");
    }

    private static async Task<TarnResult> DropSubscriptionAsync(TarnSession session, DropSubscriptionStatement drop)
    {
        await session.Core.Catalog.DropSubscriptionAsync(PathOf(session, drop.Name), drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, "DROP_SUBSCRIPTION");
    }

    /// <summary>The subscriptions of the current database: name (RisingWave's <c>Name</c>), the table followed, retention.</summary>
    private static TarnResult ShowSubscriptions(TarnSession session)
    {
        var catalog = session.Core.Catalog;
        var rows = new List<string?[]>();
        foreach (var s in catalog.Current.Subscriptions.OrderBy(s => s.Name.Name, StringComparer.Ordinal))
        {
            if (!string.Equals(s.Name.Catalog, session.CurrentCatalog, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(s.Name.Database, session.CurrentDatabase, StringComparison.OrdinalIgnoreCase)) continue;
            rows.Add([s.Name.Name, catalog.SubscribedTable(s)?.Path.ToString(), RetentionText(s.RetentionMillis)]);
        }
        return Strings(StatementKind.Show, ["Name", "Table", "Retention"], rows);
    }

    private static string RetentionText(long millis) =>
        millis % 86_400_000 == 0 ? $"{millis / 86_400_000}d"
        : millis % 3_600_000 == 0 ? $"{millis / 3_600_000}h"
        : millis % 60_000 == 0 ? $"{millis / 60_000}min"
        : millis % 1000 == 0 ? $"{millis / 1000}s"
        : $"{millis}ms";

    internal static long NowMicros() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;

    /// <summary>The statement-level check of <see cref="AuthorizeStatement"/> for subscriptions: SELECT on the table.</summary>
    private static void AuthorizeSubscription(TarnSession session, Statement statement)
    {
        switch (statement)
        {
            case CreateSubscriptionStatement c:
                RequireOn(session, c.Table, TablePrivileges.Select, c.Position);
                return;
            case DropSubscriptionStatement d:
                if (session.Core.Catalog.FindSubscription(PathOf(session, d.Name)) is { } s && session.Core.Catalog.SubscribedTable(s) is { } t)
                    AuthorizerFor(session)?.Invoke(t.Path, TablePrivileges.Select, d.Position);
                return;
        }
    }
}
