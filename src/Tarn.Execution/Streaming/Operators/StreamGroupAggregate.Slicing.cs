namespace Tarn.Execution.Streaming.Operators;

public sealed partial class StreamGroupAggregate
{
    /// <summary>
    /// The watermark up to which this window aggregate has closed its windows (restored from state after a restart):
    /// a row whose window ends at or before it + 1 ms is late here. long.MinValue before the first watermark.
    /// </summary>
    internal long ClosedUpTo
    {
        get
        {
            LoadPending();
            return _watermark;
        }
    }
}
