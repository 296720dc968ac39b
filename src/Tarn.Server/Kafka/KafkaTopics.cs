namespace Tarn.Server.Kafka;

/// <summary>
/// Topics are native tables: <c>database.table</c>, or a table of the session's default database. Partitions are the
/// table's buckets, offsets the bucket offsets. A record value is a JSON object whose fields map to the table's columns
/// by name (case-insensitive; missing fields are NULL); fetched records carry the row as such a JSON object.
/// </summary>
internal sealed partial class KafkaTopics(TarnDatabase database)
{
    private readonly TarnDatabase _db = database;

    /// <summary>Idempotent producers' sequence state, shared by all connections.</summary>
    public Producers.ProducerStateTable Producers { get; } = new(database);

    public TarnDatabase Database => _db;

    /// <summary>Topic names we accept: letters, digits, '_' and at most one '.' between database and table.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 249) return false;
        var dots = 0;
        foreach (var c in name)
        {
            if (c == '.') dots++;
            else if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return dots <= 1 && name[0] != '.' && name[^1] != '.';
    }

    private static string Quote(string topic)
    {
        var parts = topic.Split('.');
        return string.Join('.', Array.ConvertAll(parts, p => "`" + p + "`"));
    }

    /// <summary>Next offset per partition, or null when the topic is not a native table.</summary>
    public long[]? HighWatermarks(string topic)
    {
        var layout = Layout(topic);
        if (layout is null) return null;
        try
        {
            var positions = layout.Writer.NextOffsets;
            var result = new long[positions.Count];
            for (var i = 0; i < result.Length; i++) result[i] = positions[i];
            return result;
        }
        catch (TarnException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync()
    {
        var result = await _db.ExecuteAsync("SHOW TABLES").ConfigureAwait(false);
        var names = new List<string>();
        foreach (var row in result.Rows)
            if (row[0] is string name && IsValidName(name) && HighWatermarks(name) is not null) names.Add(name);
        return names;
    }
}
