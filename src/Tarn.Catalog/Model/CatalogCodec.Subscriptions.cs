using Tarn.Storage.Format;

namespace Tarn.Catalog.Model;

/// <summary>Version 7 of the catalog image: durable subscriptions after the users and grants (storage-spec/09-catalog.md, CAT-010).</summary>
public static partial class CatalogCodec
{
    /// <summary>The first version that holds subscriptions, after the users and grants [CAT-010].</summary>
    public const byte SubscriptionVersion = 7;

    private static void WriteSubscriptions(ByteWriter w, IReadOnlyList<SubscriptionDef> subscriptions)
    {
        w.WriteVarUInt((ulong)subscriptions.Count);
        foreach (var s in subscriptions)
        {
            w.WriteString(s.Name.Catalog);
            w.WriteString(s.Name.Database);
            w.WriteString(s.Name.Name);
            w.WriteVarUInt((ulong)s.TableId);
            w.WriteVarUInt((ulong)s.RetentionMillis);
            w.WriteVarInt(s.CreatedMicros);
        }
    }

    private static List<SubscriptionDef> ReadSubscriptions(ref ByteReader r)
    {
        var n = r.ReadCount(MaxItems);
        var list = new List<SubscriptionDef>(n);
        for (var i = 0; i < n; i++)
        {
            var name = new ObjectPath(r.ReadString(), r.ReadString(), r.ReadString());
            var tableId = r.ReadVarUInt();
            var retention = r.ReadVarUInt();
            if (tableId is 0 or > long.MaxValue || retention > long.MaxValue)
                Tarn.ThrowHelper.Corrupt(r.Source, $"subscription '{name}' names table {tableId} with retention {retention}");
            list.Add(new SubscriptionDef(name, (long)tableId, (long)retention, r.ReadVarInt()));
        }
        return list;
    }
}
