using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Aggregation;

/// <summary>
/// The state of one aggregate for the groups a batch touches, as arrays indexed by slot (the batch-local group
/// number). The group aggregate loads each slot from state, applies the batch's rows with their signs (+1 for +I/+U,
/// -1 for -U/-D: retraction), reads results, and saves the slots back. One virtual call per batch, typed loops inside.
/// </summary>
public abstract class StreamAccumulator(DataType resultType)
{
    public DataType ResultType { get; } = resultType;

    /// <summary>Makes room for <paramref name="slots"/> slots and empties them.</summary>
    public abstract void Prepare(int slots);

    /// <summary>Restores slot <paramref name="slot"/> from bytes written by <see cref="Save"/>.</summary>
    public abstract void Load(int slot, ref ByteReader r);

    public abstract void Save(int slot, ByteWriter w);

    /// <summary>
    /// Applies rows <paramref name="rows"/> of <paramref name="argument"/> (null for COUNT(*)) to slots
    /// <c>slotOfRow[row]</c> with signs <c>signs[row]</c> (+1 add, -1 retract). NULL arguments are skipped.
    /// </summary>
    public abstract void Update(ColumnVector? argument, ReadOnlySpan<int> rows, int[] slotOfRow, sbyte[] signs);

    /// <summary>The results of <paramref name="slots"/>, in that order.</summary>
    public abstract ColumnVector Results(ReadOnlySpan<int> slots);
}
