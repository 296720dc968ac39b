using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// Counts the runtime's garbage collections by generation, reason and type (TARN_GC_TRACE=1 in the latency
/// benchmark): a latency tail from GC shows which allocations trigger the collections.
/// </summary>
internal sealed class GcReasonListener : EventListener
{
    private static readonly string[] Reasons =
        ["alloc-small", "induced", "low-memory", "empty", "alloc-large", "oos-soh", "oos-loh", "induced-not-forced", "internal", "induced-low-memory", "induced-compacting", "low-memory-host", "pm-full", "low-memory-host-blocking"];
    private static readonly string[] Types = ["blocking", "background", "foreground"];

    public ConcurrentDictionary<string, int> Counts { get; } = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || e.Payload is null) return;
        if (e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            var kind = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("AllocationKind")], System.Globalization.CultureInfo.InvariantCulture);
            if (kind == 1) Counts.AddOrUpdate("large object: " + e.Payload[e.PayloadNames.IndexOf("TypeName")], 1, (_, n) => n + 1);
            return;
        }
        if (!e.EventName.StartsWith("GCStart", StringComparison.Ordinal)) return;
        var depth = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture);
        var reason = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("Reason")], System.Globalization.CultureInfo.InvariantCulture);
        var type = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("Type")], System.Globalization.CultureInfo.InvariantCulture);
        var key = $"gen{depth} {(reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture))} {(type < Types.Length ? Types[type] : "?")}";
        Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
    }
}
