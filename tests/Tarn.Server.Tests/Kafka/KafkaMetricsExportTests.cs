using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.Kafka;

/// <summary>/metrics exports the Kafka Produce counter per codec (tarn_kafka_produce_compressed_batches_total{codec}).</summary>
public sealed class KafkaMetricsExportTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-kmetrics-" + Guid.NewGuid().ToString("N"));
    private ServerHost _host = null!;

    public async Task InitializeAsync()
    {
        var settings = new ServerSettings
        {
            DatabasePath = _dir,
            PgWire = null,
            Kafka = new IPEndPoint(IPAddress.Loopback, 0),
            Http = new IPEndPoint(IPAddress.Loopback, 0),
        };
        _host = await ServerHost.StartAsync(settings, new ServerLog(TextWriter.Null));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Compressed_produce_batches_are_counted_per_codec_in_prometheus_text()
    {
        await _host.Server.Database.ExecuteAsync("CREATE TABLE logs (id BIGINT) WITH ('bucket' = '1')");
        var bootstrap = $"127.0.0.1:{_host.Server.Kafka!.LocalEndPoint.Port}";
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, CompressionType = CompressionType.Gzip, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < 20; i++) producer.Produce("logs", new Message<Null, string> { Value = JsonSerializer.Serialize(new { id = i }) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        }
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_host.Http!.LocalEndPoint.Port}/") };
        var text = await http.GetStringAsync("metrics");
        var lines = text.Split('\n');
        Assert.Contains("# TYPE tarn_kafka_produce_compressed_batches_total counter", lines);
        double Sample(string codec) => double.Parse(lines.Single(l => l.StartsWith($"tarn_kafka_produce_compressed_batches_total{{codec=\"{codec}\"}} ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var gzip = Sample("gzip");
        Assert.True(gzip >= 1);
        Assert.Equal(_host.Server.Metrics.KafkaCompressedBatches(1), gzip);
        Assert.Equal(0, Sample("snappy"));
        Assert.Equal(0, Sample("lz4"));
        Assert.Equal(0, Sample("zstd"));
    }
}
