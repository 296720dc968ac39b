using System.Diagnostics;
using System.Globalization;
using System.Net;
using Confluent.Kafka;
using Tarn.Server.Kafka;

namespace Tarn.Benchmarks.Server;

/// <summary>
/// <c>dotnet run -c Release --project tests/Tarn.Benchmarks -- kafka [--records N] [--json-records N] [--only bytes,json]
/// [--clients raw,raw-idem,rdkafka,rdkafka-idem,kcat,kcat-idem,inproc,inproc-idem] [--repeat 3] [--batch 16384]</c>:
/// one producer (acks=all; every acknowledged batch is durable) and then one consumer against a Kafka endpoint served
/// by this process on loopback, for a schemaless topic (100-byte values stored as BYTES) and a JSON topic (values
/// mapped to 3 columns), each run into a fresh table.
/// <para>
/// How to read it: on a small machine an in-process client library competes with the server for the cores and the
/// GC, so the server's own capacity is measured with <b>raw</b>: a minimal Kafka client over a plain socket
/// (<see cref="RawKafkaClient"/>: RecordBatch v2 of <c>--batch</c> records, 5 Produce requests in flight, Fetch of
/// 64 MB) in a CHILD process (this executable re-run as <c>kafka-client MODE</c>). <b>rdkafka</b> is Confluent.Kafka
/// in a child process and <b>kcat</b> librdkafka's C tool (<c>-P -l FILE -X linger.ms=5 -X batch.num.messages=10000</c>):
/// the honest "real client" figures. <b>inproc</b> is Confluent.Kafka inside the server process (the old figure).
/// "-idem" variants use an idempotent producer. Each line shows records/s, MB/s of values, the client's CPU and the
/// server process's CPU for the phase; the summary gives the best and the median of the <c>--repeat</c> runs, and
/// the ratio of the best to the targets (produce 800 K records/s, consume 1 M records/s). The machine is shared:
/// compare CPU per record as well as wall time.
/// </para>
/// <para>
/// Typical use: <c>-- kafka</c> (2 M schemaless + 1 M JSON records, raw, raw-idem, rdkafka, rdkafka-idem and kcat,
/// 3 runs each; a few minutes), or <c>-- kafka --clients raw,raw-idem --only bytes</c> for a quick check of the
/// server alone. To profile the server, run it and attach <c>dotnet-trace collect -p PID --format Speedscope</c>
/// (the pid is printed; the clients are other processes, so the trace holds the server only). Measured on the shared
/// 2-core machine (2026-11-26, a quiet moment, best of 3): raw producer 2.5 M records/s schemaless (2.7 M idempotent),
/// 1.8 M/s JSON; raw fetch 4.5-4.9 M records/s schemaless, 2.6-2.7 M/s JSON; server CPU about 520-560 ns per produced
/// schemaless record, 700-740 ns per JSON record, 230-350 ns per fetched record. kcat: 2.0 M/s (JSON 1.1 M/s) produce,
/// 3.2 M/s (1.9 M/s) consume; Confluent.Kafka in a child process: 1.06 M/s produce (0.79 M/s idempotent), 0.94 M/s
/// consume, bound by its own CPU (about 1 us per record, 2 us when idempotent). Under load from other processes the
/// wall-clock figures drop 2-5 times; the server CPU per record much less.
/// </para>
/// </summary>
internal static class KafkaEndpointBenchmark
{
    private const double ProduceTarget = 800_000, ConsumeTarget = 1_000_000;

    public static int Run(string[] args)
    {
        var records = 2_000_000;
        var jsonRecords = 1_000_000;
        string[] only = ["bytes", "json"];
        string[] clients = ["raw", "raw-idem", "rdkafka", "rdkafka-idem", "kcat"];
        var repeat = 3;
        var batch = 16384;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--records": records = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--json-records": jsonRecords = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--only": only = args[i + 1].Split(','); break;
                case "--clients": clients = args[i + 1].Split(','); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var db = TarnDatabase.Open(dir);
            var listener = new KafkaListener(db, new IPEndPoint(IPAddress.Loopback, 0));
            listener.Start();
            var bootstrap = $"127.0.0.1:{listener.LocalEndPoint.Port}";
            Console.WriteLine($"Kafka endpoint benchmark (librdkafka {Library.VersionString}), {Environment.ProcessorCount} cores, server pid {Environment.ProcessId}, {repeat} runs each");
            var summary = new List<(string Name, List<double> Rates, List<double> MBs, List<double> ServerNs, double Target)>();
            var table = 0;
            foreach (var kind in only)
            {
                var json = kind == "json";
                var n = json ? jsonRecords : records;
                foreach (var client in clients)
                {
                    var produce = (Name: $"{kind} {client} produce", Rates: new List<double>(), MBs: new List<double>(), ServerNs: new List<double>(), Target: ProduceTarget);
                    var consume = (Name: $"{kind} {client} consume", Rates: new List<double>(), MBs: new List<double>(), ServerNs: new List<double>(), Target: ConsumeTarget);
                    for (var run = 0; run < repeat; run++)
                    {
                        var topic = $"bench_{kind}_{++table}";
                        db.Execute(json
                            ? $"CREATE TABLE {topic} (id BIGINT, name STRING, amount DOUBLE) WITH ('bucket' = '1')"
                            : $"CREATE TABLE {topic} (`key` BYTES, `value` BYTES, `headers` BYTES, `timestamp` TIMESTAMP_LTZ(3)) WITH ('bucket' = '1')");
                        GC.Collect();
                        var (p, pServer) = Measure(() => ProducePhase(client, bootstrap, topic, n, json, batch));
                        Print(produce.Name, p, pServer);
                        Record(produce, p, pServer);
                        var (c, cServer) = Measure(() => ConsumePhase(client, bootstrap, topic, n, json));
                        Print(consume.Name, c, cServer);
                        Record(consume, c, cServer);
                    }
                    summary.Add(produce);
                    summary.Add(consume);
                }
            }
            Console.WriteLine();
            Console.WriteLine($"{"summary",-30} {"best rec/s",12} {"median",12} {"best MB/s",9} {"server ns/rec",13} {"best/target",11}");
            foreach (var (name, rates, mbs, serverNs, target) in summary)
            {
                if (rates.Count == 0) continue;
                rates.Sort();
                mbs.Sort();
                serverNs.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-30} {rates[^1],12:N0} {rates[rates.Count / 2],12:N0} {mbs[^1],9:F1} {serverNs[0],13:F0} {rates[^1] / target,11:P0}"));
            }
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Record((string Name, List<double> Rates, List<double> MBs, List<double> ServerNs, double Target) into, KafkaPhaseResult r, double serverCpu)
    {
        if (r.Failed != 0) return;
        into.Rates.Add(r.RecordsPerSecond);
        into.MBs.Add(r.Bytes / r.Seconds / 1e6);
        into.ServerNs.Add(serverCpu * 1e9 / Math.Max(r.Records, 1));
    }

    private static KafkaPhaseResult ProducePhase(string client, string bootstrap, string topic, int n, bool json, int batch)
    {
        var idempotence = client.EndsWith("-idem", StringComparison.Ordinal);
        var common = new[] { "--bootstrap", bootstrap, "--topic", topic, "--records", n.ToString(CultureInfo.InvariantCulture), "--json", json ? "true" : "false", "--idempotence", idempotence ? "true" : "false" };
        return client switch
        {
            "raw" or "raw-idem" => KafkaBenchClients.RunInChild(["raw-produce", .. common, "--batch", batch.ToString(CultureInfo.InvariantCulture)]),
            "rdkafka" or "rdkafka-idem" => KafkaBenchClients.RunInChild(["rdkafka-produce", .. common]),
            "kcat" or "kcat-idem" => KafkaBenchClients.KcatProduce(bootstrap, topic, n, json, idempotence),
            "inproc" or "inproc-idem" => KafkaBenchClients.RdKafkaProduce(bootstrap, topic, n, json, idempotence, 5),
            _ => throw new ArgumentException($"unknown client {client}"),
        };
    }

    private static KafkaPhaseResult ConsumePhase(string client, string bootstrap, string topic, int n, bool json)
    {
        var common = new[] { "--bootstrap", bootstrap, "--topic", topic, "--records", n.ToString(CultureInfo.InvariantCulture) };
        return client switch
        {
            "raw" or "raw-idem" => KafkaBenchClients.RunInChild(["raw-fetch", .. common]),
            "rdkafka" or "rdkafka-idem" => KafkaBenchClients.RunInChild(["rdkafka-consume", .. common]),
            "kcat" or "kcat-idem" => KafkaBenchClients.KcatConsume(bootstrap, topic, n, json),
            _ => KafkaBenchClients.RdKafkaConsume(bootstrap, topic, n),
        };
    }

    /// <summary>Runs a phase and returns its result with the CPU this (server) process spent meanwhile.</summary>
    private static (KafkaPhaseResult Result, double ServerCpu) Measure(Func<KafkaPhaseResult> phase)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var result = phase();
        return (result, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
    }

    private static void Print(string name, KafkaPhaseResult r, double serverCpu)
    {
        var clientCpu = r.ClientCpuSeconds < 0 ? "n/a" : r.ClientCpuSeconds.ToString("F2", CultureInfo.InvariantCulture);
        var failed = r.Failed == 0 ? "" : $" FAILED {r.Failed}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-30} {r.Records,10:N0} rec in {r.Seconds,6:F2} s: {r.RecordsPerSecond,11:N0} rec/s, {r.Bytes / r.Seconds / 1e6,7:F1} MB/s, client CPU {clientCpu,6} s, server CPU {serverCpu,6:F2} s ({serverCpu * 1e9 / Math.Max(r.Records, 1),5:F0} ns/rec){failed}"));
    }
}
