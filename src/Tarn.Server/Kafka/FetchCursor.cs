using Tarn.Storage.Scans;

namespace Tarn.Server.Kafka;

/// <summary>
/// Where a connection's fetches of one partition left off: the open stream reader and the rows it returned that did
/// not fit the last response. A consumer's next fetch asks for exactly <see cref="ExpectedOffset"/>, so it continues
/// here instead of opening a reader (and scanning the rows again) per request. Any other offset, or a changed table,
/// opens a new cursor.
/// </summary>
internal sealed class FetchCursor(KafkaTopicLayout layout, TarnStreamReader reader, long expectedOffset)
{
    /// <summary>The table's layout when the reader was opened: after DDL the layout object is a new one.</summary>
    public KafkaTopicLayout Layout { get; } = layout;

    public TarnStreamReader Reader { get; } = reader;

    /// <summary>The offset the client asks for next if it consumed the last response.</summary>
    public long ExpectedOffset { get; set; } = expectedOffset;

    /// <summary>Rows read but not yet sent, from <see cref="PendingRow"/> on.</summary>
    public StreamBatch? Pending { get; set; }

    public int PendingRow { get; set; }
}
