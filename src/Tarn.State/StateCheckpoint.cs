namespace Tarn.State;

/// <summary>
/// A completed state checkpoint. <see cref="Token"/> names it for <see cref="StateStore.RecoverAsync"/>;
/// <see cref="Number"/> orders checkpoints of one state directory and is never reused, even after a checkpoint is
/// discarded (STATE-003).
/// </summary>
public readonly record struct StateCheckpoint(Guid Token, long Number)
{
    public override string ToString() => $"state checkpoint #{Number} ({Token})";
}
