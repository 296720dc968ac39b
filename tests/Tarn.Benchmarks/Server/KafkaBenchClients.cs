using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Tarn.Benchmarks.Server;

/// <summary>What one client phase measured (client CPU -1 when unknown).</summary>
internal readonly record struct KafkaPhaseResult(long Records, long Bytes, double Seconds, double ClientCpuSeconds, int Failed)
{
    public double RecordsPerSecond => Records / Seconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RESULT {Records} {Bytes} {Seconds:R} {ClientCpuSeconds:R} {Failed}");

    public static KafkaPhaseResult Parse(string line)
    {
        var p = line.Split(' ');
        return new(long.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture),
            double.Parse(p[3], CultureInfo.InvariantCulture), double.Parse(p[4], CultureInfo.InvariantCulture), int.Parse(p[5], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The clients of <see cref="KafkaEndpointBenchmark"/>: the raw-protocol client and Confluent.Kafka (librdkafka), each
/// runnable in this process or as <c>kafka-client MODE ...</c> in a child process (so client and server share no GC and
/// no thread pool), and kcat as a process of its own.
/// </summary>
internal static class KafkaBenchClients
{
    public static byte[][] Values(bool json, int n)
    {
        var values = new byte[Math.Clamp(n, 1, 1000)][];
        for (var i = 0; i < values.Length; i++)
            values[i] = json
                ? Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{i},\"name\":\"name-{i % 1000:D4}-padding-padding-padding-padding-pad\",\"amount\":{i * 0.25}}}"))
                : Encoding.ASCII.GetBytes(new string('v', 100));
        return values;
    }

    public static long TotalBytes(byte[][] values, long n)
    {
        long bytes = 0;
        for (long i = 0; i < n; i++) bytes += values[i % values.Length].Length;
        return bytes;
    }

    /// <summary>Entry of the child process: <c>kafka-client raw-produce|raw-fetch|rdkafka-produce|rdkafka-consume --bootstrap B --topic T --records N ...</c>.</summary>
    public static int RunChild(string[] args)
    {
        var mode = args[0];
        var o = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2) o[args[i]] = args[i + 1];
        var bootstrap = o["--bootstrap"];
        var topic = o["--topic"];
        var records = int.Parse(o["--records"], CultureInfo.InvariantCulture);
        var json = o.TryGetValue("--json", out var j) && bool.Parse(j);
        var idempotence = o.TryGetValue("--idempotence", out var idem) && bool.Parse(idem);
        var batch = o.TryGetValue("--batch", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : 16384;
        var inFlight = o.TryGetValue("--inflight", out var f) ? int.Parse(f, CultureInfo.InvariantCulture) : 5;
        var result = mode switch
        {
            "raw-produce" => RawProduce(bootstrap, topic, records, json, batch, inFlight, idempotence),
            "raw-fetch" => RawFetch(bootstrap, topic, records),
            "rdkafka-produce" => RdKafkaProduce(bootstrap, topic, records, json, idempotence, 5),
            "rdkafka-consume" => RdKafkaConsume(bootstrap, topic, records),
            _ => throw new ArgumentException($"unknown client mode {mode}"),
        };
        Console.WriteLine(result.ToString());
        return 0;
    }

    /// <summary>Runs <c>kafka-client</c> in a child process of this same executable and parses its result line.</summary>
    public static KafkaPhaseResult RunInChild(params string[] args)
    {
        var path = Environment.ProcessPath!;
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet") start.ArgumentList.Add(typeof(KafkaBenchClients).Assembly.Location);
        start.ArgumentList.Add("kafka-client");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"client child failed (exit {child.ExitCode}): {output}");
        return KafkaPhaseResult.Parse(line);
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public static KafkaPhaseResult RawProduce(string bootstrap, string topic, int records, bool json, int batch, int inFlight, bool idempotence)
    {
        var values = Values(json, records);
        using var client = new RawKafkaClient(bootstrap);
        var cpu = Cpu();
        var watch = Stopwatch.StartNew();
        var failed = client.Produce(topic, values, records, batch, inFlight, idempotence);
        return new(records, TotalBytes(values, records), watch.Elapsed.TotalSeconds, Cpu() - cpu, failed);
    }

    public static KafkaPhaseResult RawFetch(string bootstrap, string topic, int records)
    {
        using var client = new RawKafkaClient(bootstrap);
        var cpu = Cpu();
        var watch = Stopwatch.StartNew();
        var bytes = client.Fetch(topic, records, 64 << 20);
        return new(records, bytes, watch.Elapsed.TotalSeconds, Cpu() - cpu, 0);
    }

    public static KafkaPhaseResult RdKafkaProduce(string bootstrap, string topic, int n, bool json, bool idempotence, double linger)
    {
        var values = Values(json, n);
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
        var cpu = Cpu();
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
        return new(n, TotalBytes(values, n), watch.Elapsed.TotalSeconds, Cpu() - cpu, failed);
    }

    public static KafkaPhaseResult RdKafkaConsume(string bootstrap, string topic, int n)
    {
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
        var cpu = Cpu();
        var watch = Stopwatch.StartNew();
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
        return new(consumed, consumedBytes, watch.Elapsed.TotalSeconds, Cpu() - cpu, (int)(n - consumed));
    }

    /// <summary>kcat -P from a file of one value per line (librdkafka's own C client, no .NET in the client).</summary>
    public static KafkaPhaseResult KcatProduce(string bootstrap, string topic, int n, bool json, bool idempotence)
    {
        var values = Values(json, n);
        var file = Path.Combine(Path.GetTempPath(), $"tarn-kcat-{Guid.NewGuid():N}.txt");
        try
        {
            using (var f = new BufferedStream(File.Create(file), 1 << 20))
                for (var i = 0; i < n; i++)
                {
                    f.Write(values[i % values.Length]);
                    f.WriteByte((byte)'\n');
                }
            var seconds = RunKcat($"-P -b {bootstrap} -t {topic} -p 0 -l {file} -X acks=all -X linger.ms=5 -X batch.num.messages=10000 " +
                $"-X batch.size=1000000 -X queue.buffering.max.messages=1000000 -X enable.idempotence={(idempotence ? "true" : "false")}", out var exit);
            return new(n, TotalBytes(values, n), seconds, -1, exit == 0 ? 0 : 1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static KafkaPhaseResult KcatConsume(string bootstrap, string topic, int n, bool json)
    {
        var values = Values(json, n);
        var seconds = RunKcat($"-C -b {bootstrap} -t {topic} -p 0 -o beginning -c {n} -e -q -f '%s\\n' " +
            "-X fetch.max.bytes=52428800 -X max.partition.fetch.bytes=8388608 -X fetch.min.bytes=1048576 -X queued.min.messages=2000000 > /dev/null", out var exit);
        return new(n, TotalBytes(values, n), seconds, -1, exit == 0 ? 0 : 1);
    }

    private static double RunKcat(string arguments, out int exit)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec kcat " + arguments);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        exit = p.ExitCode;
        if (exit != 0) Console.WriteLine($"  kcat failed ({exit}): {errors.Trim()}");
        return watch.Elapsed.TotalSeconds;
    }
}
