using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.Sources;
using Tarn.Storage.Engine;

namespace Tarn.Streaming;

/// <summary>A first step bounded to what was committed at one point (a subscription without its snapshot starts there).</summary>
internal sealed partial class StreamingQuery
{
    /// <summary>
    /// As <see cref="RunAvailable"/>, but table sources read no row committed after <paramref name="asOf"/>: what the
    /// step yields is exactly the result as of that commit, and later commits are left for the next step.
    /// </summary>
    public IReadOnlyList<ChangeBatch> RunAvailableAsOf(StorageState asOf)
    {
        var bounded = new List<TableStreamSource>();
        foreach (var input in _graph.Inputs)
        {
            if (input.Source is not TableStreamSource table || !asOf.Tables.TryGetValue(table.TableId, out var version)) continue;
            table.ReplayUntil(TableStreamSource.EncodePosition(version.NextOffsets));
            bounded.Add(table);
        }
        try
        {
            return RunAvailable();
        }
        finally
        {
            foreach (var table in bounded) table.EndReplay();
        }
    }
}
