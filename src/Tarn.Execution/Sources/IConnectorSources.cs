using Tarn.Execution.Streaming;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Sources;

/// <summary>
/// Opens batch readers over connector tables. Implemented above the execution layer (Tarn.Connectors) and handed to
/// lowering through <see cref="ExecutionContext.Connectors"/>, so execution does not depend on connector code.
/// </summary>
public interface IConnectorSources
{
    /// <summary>An operator producing <paramref name="scan"/>'s columns, or null when its connector cannot be read in batch.</summary>
    IBatchOperator? OpenBatch(LogicalConnectorScan scan, ExecutionContext context);

    /// <summary>A streaming source producing <paramref name="scan"/>'s columns, or null when its connector cannot be followed as a stream.</summary>
    IStreamSource? OpenStream(LogicalConnectorScan scan, ExecutionContext context) => null;
}
