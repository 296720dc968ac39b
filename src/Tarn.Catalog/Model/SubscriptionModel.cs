namespace Tarn.Catalog.Model;

/// <summary>
/// A durable subscription to a native table (RisingWave's <c>CREATE SUBSCRIPTION name FROM table WITH (retention =
/// '1h')</c>, catalog image version 7): it holds a consumer of the table's log (<see cref="ConsumerName"/>) whose
/// committed position is where <c>SINCE BEGIN()</c> starts, kept no further back than <see cref="RetentionMillis"/>.
/// The table is named by its storage id, so a rename keeps the subscription and a drop removes it.
/// </summary>
public sealed record SubscriptionDef(ObjectPath Name, long TableId, long RetentionMillis, long CreatedMicros)
{
    /// <summary>The storage consumer that holds the subscription's position and retention [CAT-010].</summary>
    public string ConsumerName => ConsumerNameOf(Name);

    public const string ConsumerNamePrefix = "$subscription/";

    public static string ConsumerNameOf(ObjectPath name) => ConsumerNamePrefix + name.Catalog + "." + name.Database + "." + name.Name;
}
