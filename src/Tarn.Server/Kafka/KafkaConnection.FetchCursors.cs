namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>A consumer reads few partitions per connection; past this many cursors the oldest state is simply dropped.</summary>
    private const int MaxFetchCursors = 64;

    /// <summary>Fetch position per (topic, partition) of this connection (fetches are answered one at a time: no lock).</summary>
    private readonly Dictionary<(string Topic, int Partition), FetchCursor> _fetchCursors = [];

    private FetchCursor? CursorFor(string topic, int partition) =>
        _fetchCursors.TryGetValue((topic, partition), out var cursor) ? cursor : null;

    private void KeepCursor(string topic, int partition, FetchCursor? cursor)
    {
        if (cursor is null)
        {
            _fetchCursors.Remove((topic, partition));
            return;
        }
        if (_fetchCursors.Count >= MaxFetchCursors && !_fetchCursors.ContainsKey((topic, partition))) _fetchCursors.Clear();
        _fetchCursors[(topic, partition)] = cursor;
    }
}
