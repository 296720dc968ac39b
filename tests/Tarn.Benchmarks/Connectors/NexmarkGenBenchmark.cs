using System.Diagnostics;
using System.Globalization;
using Tarn.Connectors.Nexmark;
using Tarn.Types;

namespace Tarn.Benchmarks.Connectors;

/// <summary>
/// <c>dotnet run -c Release --project tests/Tarn.Benchmarks -- nexmark-gen [--seconds S]</c>: events per second of the
/// Nexmark generator on one thread, producing batches of 8,192 rows of every field (SELECT * FROM datagen), of the
/// bid view's fields, and of bid.price alone (the cost of a bid's random draws, without copying text; events of kinds
/// whose fields are not read are skipped).
/// </summary>
internal static class NexmarkGenBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = 2.0;
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == "--seconds") seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
        var all = Enum.GetValues<NexmarkField>();
        NexmarkField[] bid = [NexmarkField.EventType, NexmarkField.BidAuction, NexmarkField.BidBidder, NexmarkField.BidPrice, NexmarkField.BidChannel,
            NexmarkField.BidUrl, NexmarkField.BidDateTime, NexmarkField.BidExtra];
        Measure("all 26 fields", all, seconds / 3);
        Measure("bid view fields", bid, seconds / 3);
        Measure("bid.price only", [NexmarkField.BidPrice], seconds / 3);
        return 0;
    }

    private static void Measure(string name, NexmarkField[] fields, double seconds)
    {
        var types = fields.Select(f => NexmarkFields.KindOf(f) switch
        {
            NexmarkFieldKind.Int => DataType.Int,
            NexmarkFieldKind.Long => DataType.BigInt,
            NexmarkFieldKind.Timestamp => DataType.Timestamp(3),
            _ => DataType.String,
        }).ToList();
        var generator = new NexmarkGenerator(new NexmarkOptions(), fields, types);
        const int batch = 8192;
        generator.Generate(0, batch); // warm up (and build the seed's text)
        long events = 0, bytes = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            var b = generator.Generate(events, batch);
            events += b.RowCount;
            foreach (var c in b.Columns) if (c is Tarn.Vectors.BinaryVector v) bytes += v.DataLength;
        }
        var elapsed = watch.Elapsed.TotalSeconds;
        process.Refresh();
        // CPU time too: on a shared machine the wall clock also counts time the thread waited for a core.
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"nexmark-gen {name,-16}: {events / elapsed / 1e6,6:F2} M events/s wall, {events / cpu / 1e6,6:F2} M events/s per CPU second ({bytes / cpu / 1e6:F0} MB/s of text, {events:N0} events)");
    }
}
