using Tarn.Storage.Tables;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaTopics
{
    /// <summary>
    /// Creates a schemaless topic table: <c>(key BYTES, value BYTES, headers BYTES, timestamp TIMESTAMP_LTZ(3))</c> with
    /// <paramref name="partitions"/> buckets (-1: 1). Returns a Kafka error code and message.
    /// </summary>
    public async Task<(short Error, string? Message)> CreateAsync(string name, int partitions, short replication, bool hasAssignments, bool validateOnly)
    {
        if (!IsValidName(name)) return (KafkaErrors.InvalidTopicException, $"topic name '{name}' is not a table name (letters, digits, '_', at most one '.' between database and table)");
        if (hasAssignments) return (KafkaErrors.InvalidRequest, "replica assignments are not supported: Tarn is a single node");
        if (partitions == -1) partitions = 1;
        if (partitions < 1 || partitions > TableLayout.MaxBuckets) return (KafkaErrors.InvalidPartitions, $"num_partitions must be between 1 and {TableLayout.MaxBuckets}");
        if (replication is not (-1 or 1)) return (KafkaErrors.InvalidReplicationFactor, "replication factor must be 1 (or -1): Tarn is a single node");
        if (Layout(name) is not null) return (KafkaErrors.TopicAlreadyExists, $"topic '{name}' already exists");
        if (validateOnly) return (KafkaErrors.None, null);
        var sql = $"CREATE TABLE {Quote(name)} (`key` BYTES, `value` BYTES, `headers` BYTES, `timestamp` TIMESTAMP_LTZ(3)) WITH ('bucket' = '{partitions}')";
        try
        {
            await _db.ExecuteAsync(sql).ConfigureAwait(false);
            return (KafkaErrors.None, null);
        }
        catch (TarnException e) when (e.SqlState == SqlStates.DuplicateTable)
        {
            return (KafkaErrors.TopicAlreadyExists, $"topic '{name}' already exists");
        }
        catch (TarnException e)
        {
            return (KafkaErrors.InvalidRequest, e.Message);
        }
    }
}
