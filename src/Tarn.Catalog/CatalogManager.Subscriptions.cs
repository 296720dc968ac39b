using Tarn.Catalog.Model;
using Tarn.Storage.Log;

namespace Tarn.Catalog;

/// <summary>
/// Durable subscriptions (CAT-010): each CREATE/DROP is one catalog commit that also registers or removes the
/// subscription's consumer on its table, so the catalog and the consumer never disagree.
/// </summary>
public sealed partial class CatalogManager
{
    public SubscriptionDef? FindSubscription(ObjectPath name) => FindSubscription(_image, name);

    private static SubscriptionDef? FindSubscription(CatalogImage image, ObjectPath name)
    {
        foreach (var s in image.Subscriptions) if (SecurityDef.SamePath(s.Name, name)) return s;
        return null;
    }

    /// <summary>The table a subscription follows, wherever it is now (found by storage id), or null once dropped.</summary>
    public (ObjectPath Path, TableDef Table)? SubscribedTable(SubscriptionDef subscription)
    {
        foreach (var c in _image.Catalogs)
            foreach (var d in c.Databases)
                foreach (var t in d.Tables)
                    if (t.TableId == subscription.TableId) return (new ObjectPath(c.Name, d.Name, t.Name), t);
        return null;
    }

    /// <summary>
    /// Creates a subscription on native table <paramref name="table"/>: its consumer starts at the table's current end,
    /// so <c>SINCE BEGIN()</c> reads what is committed from now on. Returns the existing one with IF NOT EXISTS.
    /// </summary>
    public Task<SubscriptionDef> CreateSubscriptionAsync(ObjectPath name, ObjectPath table, long retentionMillis, long nowMicros, bool ifNotExists) => DdlAsync(image =>
    {
        Locate(image, name);
        if (FindSubscription(image, name) is { } existing)
        {
            if (ifNotExists) return (image, [], existing);
            throw new TarnException(SqlStates.DuplicateObject, $"subscription '{name}' already exists");
        }
        var (_, d) = Locate(image, table);
        var t = d.FindTable(table.Name) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        if (!t.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table; a subscription follows a table stored by Tarn");
        var stored = _engine.GetTable(t.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        var def = new SubscriptionDef(name, t.TableId, retentionMillis, nowMicros);
        var ops = new List<LogOp> { new ConsumerOp(t.TableId, def.ConsumerName, stored.NextOffsets.ToArray()) };
        return (image with { Subscriptions = [.. image.Subscriptions, def] }, ops, def);
    });

    /// <summary>Drops a subscription and its consumer (the table's log is then no longer held for it).</summary>
    public Task DropSubscriptionAsync(ObjectPath name, bool ifExists) => DdlAsync(image =>
    {
        var s = FindSubscription(image, name);
        if (s is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.UndefinedObject, $"subscription '{name}' does not exist");
        }
        var ops = new List<LogOp>();
        if (_engine.GetTable(s.TableId) is not null) ops.Add(new ConsumerOp(s.TableId, s.ConsumerName, null));
        return (image with { Subscriptions = image.Subscriptions.Where(x => !ReferenceEquals(x, s)).ToList() }, ops, true);
    });

    /// <summary>
    /// Subscriptions go with a dropped table (its consumers go with it in storage) or a dropped database (those named
    /// in it release their consumers on tables elsewhere, added to <paramref name="ops"/>).
    /// </summary>
    private CatalogImage WithoutSubscriptions(CatalogImage image, IReadOnlyCollection<long> droppedTables, string? catalog, string? database, List<LogOp> ops)
    {
        if (image.Subscriptions.Count == 0) return image;
        var kept = new List<SubscriptionDef>();
        foreach (var s in image.Subscriptions)
        {
            var named = database is not null && string.Equals(s.Name.Catalog, catalog, StringComparison.OrdinalIgnoreCase)
                && string.Equals(s.Name.Database, database, StringComparison.OrdinalIgnoreCase);
            if (droppedTables.Contains(s.TableId)) continue;
            if (!named)
            {
                kept.Add(s);
                continue;
            }
            if (_engine.GetTable(s.TableId) is not null) ops.Add(new ConsumerOp(s.TableId, s.ConsumerName, null));
        }
        return kept.Count == image.Subscriptions.Count ? image : image with { Subscriptions = kept };
    }
}
