using Tarn.Vectors;

namespace Tarn.Execution.Parallel;

/// <summary>
/// Hands out independent units of work ("morsels"), each a small pipeline such as one row group's scan with its
/// filters and projections stacked on top. Must be thread-safe: several workers call <see cref="TryTakeMorsel"/>
/// concurrently; it returns false once everything has been handed out. The taker disposes the pipeline.
/// </summary>
public interface IMorselSource
{
    bool TryTakeMorsel(out IBatchOperator pipeline);
}

/// <summary>Receives the batches of one worker (called from that worker's thread only).</summary>
public interface IBatchSink
{
    void Consume(ColumnBatch batch);
}

/// <summary>A morsel source over a fixed list of pipeline factories (tests, in-memory tables).</summary>
public sealed class ListMorselSource(IReadOnlyList<Func<IBatchOperator>> morsels) : IMorselSource
{
    private int _next = -1;

    public bool TryTakeMorsel(out IBatchOperator pipeline)
    {
        var i = Interlocked.Increment(ref _next);
        if (i >= morsels.Count)
        {
            pipeline = null!;
            return false;
        }
        pipeline = morsels[i]();
        return true;
    }
}
