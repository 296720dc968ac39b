namespace Tarn.Server.Tests.Kafka;

/// <summary>kafka-python 2.0.2 (Debian's python3-kafka, run with /usr/bin/python3) group consumers used by the tests.</summary>
internal static class KafkaPythonScripts
{
    /// <summary>args: bootstrap topic group count. Consumes <c>count</c> records as a group member, commits, closes; prints each record's id.</summary>
    public const string ConsumeAndCommit = """
        import sys, json
        from kafka import KafkaConsumer
        bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                          enable_auto_commit=False, consumer_timeout_ms=60000)
        n = 0
        for m in c:
            print("row %d %d %d" % (m.partition, m.offset, json.loads(m.value)["id"]), flush=True)
            n += 1
            if n >= count:
                break
        c.commit()
        c.close(autocommit=False)
        print("done", flush=True)
        """;

    /// <summary>
    /// args: bootstrap topic group [assignor: range|roundrobin]. Joins with a 3 s session timeout, prints its assignment
    /// on every change, polls until killed.
    /// </summary>
    public const string HoldPartitions = """
        import sys, json
        from kafka import KafkaConsumer
        from kafka.coordinator.assignors.range import RangePartitionAssignor
        from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
        bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
        assignor = RoundRobinPartitionAssignor if len(sys.argv) > 4 and sys.argv[4] == 'roundrobin' else RangePartitionAssignor
        c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                          enable_auto_commit=False, session_timeout_ms=3000, heartbeat_interval_ms=300,
                          partition_assignment_strategy=[assignor])
        last = None
        while True:
            c.poll(timeout_ms=100)
            now = sorted(p.partition for p in c.assignment())
            if now != last:
                print("assigned " + json.dumps(now), flush=True)
                last = now
        """;
}
