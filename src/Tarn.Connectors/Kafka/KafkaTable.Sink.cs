using Tarn.Types;

namespace Tarn.Connectors.Kafka;

internal sealed partial class KafkaTable
{
    /// <summary>
    /// The columns an INSERT (or a job) writes, in declaration order: the physical columns and a persisted
    /// <c>timestamp</c> metadata column (the record's timestamp), as the binder lays out an INSERT into a kafka table.
    /// Returns their types, each physical column's position among them, and the timestamp's (-1 without one).
    /// </summary>
    public (IReadOnlyList<DataType> Types, int[] PhysicalAt, int TimestampAt) SinkLayout()
    {
        var types = new List<DataType>();
        var physicalAt = new int[Physical.Count];
        var timestampAt = -1;
        var p = 0;
        foreach (var c in Table.Columns)
        {
            if (c.IsPhysical)
            {
                physicalAt[p++] = types.Count;
                types.Add(c.Type);
            }
            else if (c is { IsMetadata: true, IsVirtual: false } && (c.MetadataKey ?? c.Name) == "timestamp")
            {
                timestampAt = types.Count;
                types.Add(c.Type);
            }
        }
        return (types, physicalAt, timestampAt);
    }
}
