namespace Tarn.Tests.Connectors;

/// <summary>The kafka connector's source against a real (mock) Kafka cluster: batch reads of bounded tables.</summary>
public sealed class KafkaSourceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly KafkaMockCluster _kafka = new();

    public void Dispose()
    {
        _kafka.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string With(string topic, string extra = "") =>
        $"WITH ('connector' = 'kafka', 'topic' = '{topic}', 'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'{extra})";

    [Fact]
    public async Task A_bounded_table_reads_every_record_of_every_partition_in_batch()
    {
        _kafka.CreateTopic("orders");
        for (var i = 1; i <= 10; i++)
            _kafka.Produce("orders", i % 2, $$"""{"id": {{i}}, "amount": {{i}}.5, "status": "s{{i % 3}}", "ts": "2024-01-0{{1 + i % 3}} 10:00:00.250"}""");
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), status STRING, ts TIMESTAMP(3), part INT METADATA FROM 'partition', `offset` BIGINT METADATA VIRTUAL) {With("orders")}");
        Assert.Equal([10L], await db.QueryAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal([60.00m], await db.QueryAsync<decimal>("SELECT sum(amount) FROM orders"));
        var rows = (await db.ExecuteAsync("SELECT id, part, `offset`, CAST(ts AS STRING) FROM orders WHERE id IN (1, 2, 4) ORDER BY id")).Rows.ToList();
        Assert.Equal([[1L, 1, 0L, "2024-01-02 10:00:00.250"], [2L, 0, 0L, "2024-01-03 10:00:00.250"], [4L, 0, 1L, "2024-01-02 10:00:00.250"]], rows);
    }
}
