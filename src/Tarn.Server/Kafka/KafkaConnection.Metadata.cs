namespace Tarn.Server.Kafka;

internal sealed partial class KafkaConnection
{
    /// <summary>This single node's id: it is every partition's leader and the controller.</summary>
    private const int NodeId = 0;

    private static List<string>? ParseMetadataRequest(short version, ReadOnlySpan<byte> body)
    {
        var r = new KafkaReader(body);
        var count = r.ArrayCount(2);
        if (count < 0 || (count == 0 && version == 0)) return null; // all topics
        var names = new List<string>(count);
        for (var i = 0; i < count; i++) names.Add(r.String());
        return names;
    }

    private async Task MetadataAsync(short version, ReadOnlyMemory<byte> body)
    {
        var requested = ParseMetadataRequest(version, body.Span);
        var names = requested ?? VisibleTopics(await _topics.ListAsync().ConfigureAwait(false));
        var w = _response;
        if (version >= 3) w.Int32(0); // throttle
        w.Int32(1);
        w.Int32(NodeId);
        w.String(_advertised.Address.ToString());
        w.Int32(_advertised.Port);
        if (version >= 1) w.NullableString(null); // rack
        if (version >= 2) w.NullableString("tarn");
        if (version >= 1) w.Int32(NodeId); // controller
        w.Int32(names.Count);
        foreach (var name in names)
        {
            var partitions = _topics.HighWatermarks(name);
            var error = MetadataError(name, partitions is not null);
            w.Int16(error);
            w.String(name);
            if (version >= 1) w.Bool(false); // internal
            var n = error == KafkaErrors.None ? partitions!.Length : 0; // like Kafka: no partitions of an unauthorized topic
            w.Int32(n);
            for (var p = 0; p < n; p++)
            {
                w.Int16(KafkaErrors.None);
                w.Int32(p);
                w.Int32(NodeId);
                if (version >= 7) w.Int32(-1); // leader epoch unknown: clients skip offset validation
                w.Int32(1);
                w.Int32(NodeId); // replicas
                w.Int32(1);
                w.Int32(NodeId); // in-sync replicas
                if (version >= 5) w.Int32(0); // offline replicas
            }
            if (version >= 8) w.Int32(int.MinValue); // topic authorized operations: not requested
        }
        if (version >= 8) w.Int32(int.MinValue);
    }
}
