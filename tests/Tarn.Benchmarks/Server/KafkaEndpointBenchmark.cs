using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Confluent.Kafka;
using Tarn.Server.Kafka;

namespace Tarn.Benchmarks.Server;

/// <summary>
/// <c>dotnet run -c Release --project tests/Tarn.Benchmarks -- kafka [--records N] [--json-records N] [--only bytes,json]
/// [--idempotence true|false] [--linger MS]</c>:
/// one Confluent.Kafka producer (idempotent unless told otherwise, acks=all, linger 5 ms, batch 1 MB; every
/// acknowledged batch is durable) and then one consumer against an in-process Kafka endpoint on loopback, for a
/// schemaless topic (100-byte values stored as BYTES) and a JSON topic (values mapped to 3 columns). Prints records/s
/// and MB/s of each phase, and the CPU time the whole process (server and client library alike) spent on it: on a
/// shared machine the wall time depends on the load, the CPU time much less.
/// </summary>
internal static class KafkaEndpointBenchmark
{
    public static int Run(string[] args)
    {
        var records = 500_000;
        var jsonRecords = 200_000;
        string[] only = ["bytes", "json"];
        var idempotence = true;
        var linger = 5.0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--records": records = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--json-records": jsonRecords = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--only": only = args[i + 1].Split(','); break;
                case "--idempotence": idempotence = bool.Parse(args[i + 1]); break;
                case "--linger": linger = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var db = TarnDatabase.Open(dir);
            var listener = new KafkaListener(db, new IPEndPoint(IPAddress.Loopback, 0));
            listener.Start();
            var bootstrap = $"127.0.0.1:{listener.LocalEndPoint.Port}";
            Console.WriteLine($"Kafka endpoint benchmark (librdkafka {Library.VersionString}), {Environment.ProcessorCount} cores, idempotence {idempotence}, linger {linger} ms");
            if (only.Contains("bytes"))
            {
                db.Execute("CREATE TABLE bench_bytes (`key` BYTES, `value` BYTES, `headers` BYTES, `timestamp` TIMESTAMP_LTZ(3)) WITH ('bucket' = '1')");
                var value = Encoding.ASCII.GetBytes(new string('v', 100));
                RunTopic(bootstrap, "bench_bytes", records, idempotence, linger, _ => value);
            }
            if (only.Contains("json"))
            {
                db.Execute("CREATE TABLE bench_json (id BIGINT, name STRING, amount DOUBLE) WITH ('bucket' = '1')");
                RunTopic(bootstrap, "bench_json", jsonRecords, idempotence, linger, i => Encoding.UTF8.GetBytes($"{{\"id\":{i},\"name\":\"name-{i % 1000:D4}-padding-padding-padding-padding-pad\",\"amount\":{i * 0.25}}}"));
            }
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static void RunTopic(string bootstrap, string topic, int n, bool idempotence, double linger, Func<int, byte[]> valueOf)
    {
        var values = new byte[Math.Min(n, 1000)][];
        for (var i = 0; i < values.Length; i++) values[i] = valueOf(i);
        long bytes = 0;
        for (var i = 0; i < n; i++) bytes += values[i % values.Length].Length;

        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = idempotence,
            LingerMs = linger,
            BatchSize = 1_000_000,
            QueueBufferingMaxKbytes = 1 << 20,
            QueueBufferingMaxMessages = 2_000_000,
            CompressionType = CompressionType.None,
            DeliveryReportFields = "status", // the report only counts failures: marshal no key, value or headers back
        };
        var failed = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<Null, byte[]>(config).Build())
        {
            var partition = new TopicPartition(topic, 0);
            Action<DeliveryReport<Null, byte[]>> report = r => { if (r.Error.IsError) Interlocked.Increment(ref failed); };
            for (var i = 0; i < n; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(partition, new Message<Null, byte[]> { Value = values[i % values.Length] }, report);
                        break;
                    }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(5));
                    }
                }
            }
            producer.Flush(TimeSpan.FromMinutes(5));
        }
        var produceSeconds = watch.Elapsed.TotalSeconds;
        Print(topic, "produce", n, bytes, produceSeconds, ref cpu, failed == 0 ? "" : $" ({failed} failed)");

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench",
            EnableAutoCommit = false,
            FetchMaxBytes = 50 << 20,
            MaxPartitionFetchBytes = 8 << 20,
            FetchMinBytes = 1 << 20,
            FetchWaitMaxMs = 100,
            QueuedMaxMessagesKbytes = 256 << 10,
            // librdkafka stops fetching once queued.min.messages (100 000) wait in its queue and then backs off for
            // fetch.queue.backoff.ms (1 s): with 8 MB fetches that idled the consumer most of the time.
            QueuedMinMessages = 2_000_000,
            FetchQueueBackoffMs = 5,
        };
        watch.Restart();
        long consumed = 0, consumedBytes = 0;
        using (var consumer = new ConsumerBuilder<Ignore, byte[]>(consumerConfig).Build())
        {
            consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (consumed < n && DateTime.UtcNow < deadline)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (cr is null || cr.IsPartitionEOF) continue;
                consumed++;
                consumedBytes += cr.Message.Value.Length;
            }
        }
        Print(topic, "consume", consumed, consumedBytes, watch.Elapsed.TotalSeconds, ref cpu, consumed == n ? "" : $" (only {consumed} of {n})");
    }

    private static void Print(string topic, string phase, long n, long bytes, double seconds, ref TimeSpan cpu, string note)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var cpuSeconds = (now - cpu).TotalSeconds;
        cpu = now;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{topic,-12} {phase,-8} {n,10:N0} records in {seconds,7:F2} s: {n / seconds,12:N0} records/s, {bytes / seconds / 1e6,8:F1} MB/s, CPU {cpuSeconds,6:F2} s ({cpuSeconds * 1e9 / Math.Max(n, 1),6:F0} ns/record){note}"));
    }
}
