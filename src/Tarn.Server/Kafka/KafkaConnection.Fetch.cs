namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    private sealed record FetchPartition(int Index, long Offset, int MaxBytes);

    private sealed record FetchTopic(string Name, List<FetchPartition> Partitions);

    /// <summary>Longest a fetch with no data waits for new rows (clients ask for 500 ms by default).</summary>
    private const int MaxWaitMs = 500;

    private static (int MaxWait, int MinBytes, int MaxBytes, List<FetchTopic> Topics) ParseFetchRequest(short version, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        _ = r.Int32(); // replica id
        var maxWait = r.Int32();
        var minBytes = r.Int32();
        var maxBytes = r.Int32();
        _ = r.Int8(); // isolation level: every committed row is stable
        if (version >= 7)
        {
            _ = r.Int32(); // session id: sessions are not kept, every fetch is full
            _ = r.Int32(); // session epoch
        }
        var topicCount = r.ArrayCount(6);
        var topics = new List<FetchTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = r.String();
            var partCount = r.ArrayCount(16);
            var parts = new List<FetchPartition>(Math.Max(partCount, 0));
            for (var p = 0; p < partCount; p++)
            {
                var index = r.Int32();
                if (version >= 9) _ = r.Int32(); // current leader epoch
                var offset = r.Int64();
                if (version >= 5) _ = r.Int64(); // log start offset (followers only)
                var partMax = r.Int32();
                parts.Add(new FetchPartition(index, offset, partMax));
            }
            topics.Add(new FetchTopic(name, parts));
        }
        return (maxWait, minBytes, maxBytes, topics);
    }

    private async Task FetchAsync(short version, ReadOnlyMemory<byte> body)
    {
        var (maxWait, minBytes, maxBytes, topics) = ParseFetchRequest(version, body.Span);
        var waited = 0;
        var wait = Math.Clamp(maxWait, 0, MaxWaitMs);
        // Long poll: with nothing new, re-check until max_wait; an empty answer is fine after that.
        while (minBytes > 0 && waited < wait && !HasData(topics))
        {
            await Task.Delay(20).ConfigureAwait(false);
            waited += 20;
        }

        var w = _response;
        w.Int32(0); // throttle
        if (version >= 7)
        {
            w.Int16(KafkaErrors.None);
            w.Int32(0); // session id
        }
        w.Int32(topics.Count);
        var budget = maxBytes <= 0 ? int.MaxValue : maxBytes;
        foreach (var topic in topics)
        {
            w.String(topic.Name);
            w.Int32(topic.Partitions.Count);
            var watermarks = _topics.HighWatermarks(topic.Name);
            foreach (var part in topic.Partitions)
            {
                w.Int32(part.Index);
                var known = watermarks is not null && part.Index >= 0 && part.Index < watermarks.Length;
                var high = known ? watermarks![part.Index] : -1;
                var error = !known ? KafkaErrors.UnknownTopicOrPartition
                    : part.Offset < 0 || part.Offset > high ? KafkaErrors.OffsetOutOfRange : KafkaErrors.None;
                if (known && !MayAccess(topic.Name, Catalog.Model.TablePrivileges.Select)) error = TopicAuthorizationFailed;
                w.Int16(error);
                w.Int64(high);
                w.Int64(high); // last stable offset
                if (version >= 5) w.Int64(0); // log start offset
                w.Int32(-1); // aborted transactions: none
                if (version >= 11) w.Int32(-1); // preferred read replica
                var lengthAt = w.ReserveInt32();
                var start = w.Length;
                if (error == KafkaErrors.None && budget > 0)
                {
                    var cursor = CursorFor(topic.Name, part.Index);
                    _topics.ReadBatch(topic.Name, part.Index, part.Offset, watermarks!, Math.Min(budget, Math.Max(part.MaxBytes, 1)), w, ref cursor);
                    KeepCursor(topic.Name, part.Index, cursor);
                }
                var written = w.Length - start;
                Metrics.Fetched(w.Written.Slice(start, written));
                budget -= written;
                w.PatchInt32(lengthAt, written);
            }
        }
    }

    private bool HasData(List<FetchTopic> topics)
    {
        foreach (var topic in topics)
        {
            var watermarks = _topics.HighWatermarks(topic.Name);
            if (watermarks is null) return true; // answer the error at once
            foreach (var part in topic.Partitions)
                if (part.Index < 0 || part.Index >= watermarks.Length || part.Offset != watermarks[part.Index]) return true;
        }
        return false;
    }
}
