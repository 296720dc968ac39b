using Tarn.Types;

namespace Tarn.Execution.Streaming;

/// <summary>
/// An input of a streaming job: a native table followed as a log, a generator (nexmark, datagen) or an external
/// system (Kafka). The job's single thread polls it; a source never blocks in <see cref="Poll"/>.
/// <para>
/// Exactly-once rests on positions: <see cref="SavePosition"/> describes everything returned so far, the job stores it
/// atomically with its output, and after a restart <see cref="RestorePosition"/> makes the source continue with the
/// first row not yet returned. Replaying from a position must return the same rows in the same order (generators are
/// seeded and positioned by event number, tables by offset).
/// </para>
/// </summary>
public interface IStreamSource : IDisposable
{
    /// <summary>Types of the columns of every returned batch, in order.</summary>
    IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>Up to <paramref name="maxRows"/> rows available now, or null when there are none at the moment (or the source finished).</summary>
    ChangeBatch? Poll(int maxRows);

    /// <summary>True once a bounded source has returned all its rows; an unbounded source is never finished.</summary>
    bool IsFinished { get; }

    /// <summary>Completes when <see cref="Poll"/> may return rows again (new data, or a rate-limited generator's next tick).</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellation);

    /// <summary>An opaque description of the position after the rows returned so far.</summary>
    byte[] SavePosition();

    /// <summary>Continues after the rows that <paramref name="position"/> (from <see cref="SavePosition"/>) describes.</summary>
    void RestorePosition(ReadOnlySpan<byte> position);
}
