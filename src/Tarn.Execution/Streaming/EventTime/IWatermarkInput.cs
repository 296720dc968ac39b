namespace Tarn.Execution.Streaming.EventTime;

/// <summary>An input port of an operator that merges the watermarks of several inputs (UNION ALL, joins).</summary>
public interface IWatermarkInput
{
    /// <summary>A watermarked source upstream of this port (wired while lowering, for idle-source handling).</summary>
    void AddSource(SourceActivity source);
}
