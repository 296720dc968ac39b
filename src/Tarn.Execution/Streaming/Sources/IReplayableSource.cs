namespace Tarn.Execution.Streaming;

/// <summary>
/// A source that can replay exactly up to a saved position. A job whose state checkpoints are less frequent than its
/// epochs restores the last state checkpoint after a restart and re-reads its sources from the positions of that
/// checkpoint up to the end of its last committed epoch, re-deriving state without emitting output again; the
/// replay must stop at that end exactly, since rows after it belong to the next (uncommitted) epoch.
/// </summary>
public interface IReplayableSource
{
    /// <summary>From now on <see cref="IStreamSource.Poll"/> returns no row after <paramref name="end"/> (a position from <see cref="IStreamSource.SavePosition"/>).</summary>
    void ReplayUntil(ReadOnlySpan<byte> end);

    /// <summary>Lifts the bound set by <see cref="ReplayUntil"/>.</summary>
    void EndReplay();
}
