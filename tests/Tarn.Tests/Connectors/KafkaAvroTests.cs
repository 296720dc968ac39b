using System.Buffers.Binary;
using Avro;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;

namespace Tarn.Tests.Connectors;

/// <summary>Kafka tables in the avro and avro-confluent formats, records written by Apache.Avro.</summary>
public sealed class KafkaAvroTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-avro-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly KafkaMockCluster _kafka = new();
    private readonly IProducer<byte[]?, byte[]?> _producer;

    public KafkaAvroTests() =>
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers, LingerMs = 0 }).SetLogHandler((_, _) => { }).Build();

    public void Dispose()
    {
        _producer.Dispose();
        _kafka.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The schema Flink derives for (id BIGINT NOT NULL, name STRING, price DECIMAL(10, 2), ts TIMESTAMP(3), d DATE).</summary>
    private const string OrderSchema = """
        {"type": "record", "name": "record", "namespace": "org.apache.flink.avro.generated", "fields": [
          {"name": "id", "type": "long"},
          {"name": "name", "type": ["null", "string"], "default": null},
          {"name": "price", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}], "default": null},
          {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
          {"name": "d", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null}]}
        """;

    private const string Columns = "id BIGINT NOT NULL, name STRING, price DECIMAL(10, 2), ts TIMESTAMP(3), d DATE";

    private static byte[] Record(RecordSchema schema, long id, string? name, decimal? price, DateTime? ts, DateTime? d)
    {
        var record = new GenericRecord(schema);
        record.Add("id", id);
        record.Add("name", name);
        record.Add("price", price is { } p ? new AvroDecimal(p) : null);
        record.Add("ts", ts);
        record.Add("d", d);
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private void Produce(string topic, int partition, byte[]? value) =>
        _producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Value = value }).GetAwaiter().GetResult();

    private string With(string topic, string format) =>
        $"WITH ('connector' = 'kafka', 'topic' = '{topic}', 'properties.bootstrap.servers' = '{_kafka.BootstrapServers}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', {format})";

    private void ProduceOrders(string topic, Func<byte[], byte[]> frame)
    {
        var schema = (RecordSchema)Schema.Parse(OrderSchema);
        _kafka.CreateTopic(topic);
        Produce(topic, 0, frame(Record(schema, 1, "apple", 1.25m, new DateTime(2024, 1, 2, 10, 0, 0, 250, DateTimeKind.Utc), new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc))));
        Produce(topic, 1, frame(Record(schema, 2, null, null, null, null)));
        Produce(topic, 1, null); // a tombstone has no row
        Produce(topic, 2, frame(Record(schema, 3, "fig", -0.05m, new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc), new DateTime(1900, 3, 1, 0, 0, 0, DateTimeKind.Utc))));
    }

    private static readonly object?[][] Expected =
    [
        [1L, "apple", "1.25", "2024-01-02 10:00:00.250", "2024-01-02"],
        [2L, null, null, null, null],
        [3L, "fig", "-0.05", "1969-12-31 23:59:59.999", "1900-03-01"],
    ];

    private const string Select = "SELECT id, name, CAST(price AS STRING), CAST(ts AS STRING), CAST(d AS STRING) FROM orders ORDER BY id";

    [Fact]
    public async Task Avro_records_written_by_apache_avro_are_read_with_the_schema_derived_from_the_columns()
    {
        ProduceOrders("avro-orders", bytes => bytes);
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE orders ({Columns}) {With("avro-orders", "'format' = 'avro'")}");
        Assert.Equal(Expected, (await db.ExecuteAsync(Select)).Rows.ToList());
    }

    [Fact]
    public async Task Avro_confluent_records_are_read_with_their_writer_schema_from_the_registry()
    {
        using var registry = new TestSchemaRegistry();
        var id = registry.Register("confluent-orders-value", OrderSchema);
        ProduceOrders("confluent-orders", bytes =>
        {
            var framed = new byte[bytes.Length + 5];
            BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), id);
            bytes.CopyTo(framed, 5);
            return framed;
        });
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        await db.ExecuteAsync($"CREATE TABLE orders ({Columns}) {With("confluent-orders", $"'format' = 'avro-confluent', 'avro-confluent.url' = '{registry.Url}'")}");
        Assert.Equal(Expected, (await db.ExecuteAsync(Select)).Rows.ToList());

        // A record whose schema id the registry does not know fails the query with its position.
        Produce("confluent-orders", 0, [0, 0, 0, 0, 99, 2]);
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync(Select));
        Assert.Contains("Schema not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_headers_metadata_column_is_rejected_at_create_table()
    {
        await using var db = await TarnDatabase.OpenAsync(Path.Combine(_dir, "db"));
        var e = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"CREATE TABLE h (id BIGINT, hs BYTES METADATA FROM 'headers') {With("t", "'format' = 'avro'")}"));
        Assert.Equal("0A000", e.SqlState);
        Assert.Contains("headers", e.Message, StringComparison.Ordinal);
        var map = await Assert.ThrowsAsync<TarnException>(() => db.ExecuteAsync($"CREATE TABLE h (id BIGINT, headers MAP<STRING, BYTES> METADATA) {With("t", "'format' = 'avro'")}"));
        Assert.Contains("MAP is not supported", map.Message, StringComparison.Ordinal);
    }
}
