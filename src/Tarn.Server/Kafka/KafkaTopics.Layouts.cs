using System.Collections.Concurrent;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaTopics
{
    private readonly ConcurrentDictionary<string, KafkaTopicLayout> _layouts = new(StringComparer.Ordinal);

    /// <summary>
    /// The topic's table layout, cached per topic and rebuilt when the table's definition changed (ALTER, DROP,
    /// re-CREATE): requests no longer run a LIMIT 0 query to learn the columns. Null when the topic is no native table.
    /// </summary>
    public KafkaTopicLayout? Layout(string topic)
    {
        if (!IsValidName(topic)) return null;
        if (_layouts.TryGetValue(topic, out var cached) && cached.Writer.IsCurrent) return cached;
        try
        {
            var layout = new KafkaTopicLayout(_db.CreateTableWriter(topic));
            _layouts[topic] = layout;
            return layout;
        }
        catch (TarnException)
        {
            _layouts.TryRemove(topic, out _);
            return null;
        }
    }
}
