using BenchmarkDotNet.Running;
using Tarn.Benchmarks.EndToEnd;

namespace Tarn.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Tarn.Benchmarks -- e2e [--rows N] [--only q1,q4] [--cpu]</c> runs the end-to-end benchmark
/// (Tarn and DuckDB side by side on the same data), <c>-- tpch [--sf DIR|N]</c> the 22 TPC-H queries on both (N: a scale factor, data generated and cached), <c>-- stream</c> streaming-job throughput and latency, <c>-- nexmark [--events N]</c> the Nexmark queries as streaming jobs, <c>-- nexmark-gen [--seconds S]</c> the Nexmark generator's events/s on one thread, <c>-- connectors [--rows N] [--only a,b]</c> the connectors beside SQLite, DuckDB and Kafka-client baselines; <c>-- pgwire [--rows N] [--iterations N] [--latency-only]</c> COPY ingest over the PostgreSQL endpoint beside DuckDB.NET's appender, and SELECT 1 round trips, <c>-- kafka [--records N] [--clients raw,rdkafka,kcat]</c> the Kafka endpoint with one producer and one consumer (raw protocol, Confluent.Kafka or kcat, each in a child process; <c>kafka-client</c> is that child); any other arguments go to BenchmarkDotNet's switcher for the
/// micro benchmarks (e.g. <c>-- --filter *Encoding*</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "e2e") return OrdersBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "tpch") return TpchBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "stream") return StreamingBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "nexmark") return NexmarkBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "connectors") return Connectors.ConnectorsBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "nexmark-gen") return Connectors.NexmarkGenBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "pgwire") return PgWire.PgWireBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "kafka") return Server.KafkaEndpointBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "kafka-client") return Server.KafkaBenchClients.RunChild(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
