using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution;

/// <summary>
/// A pull-based operator producing column batches. <see cref="Next"/> returns the next non-empty batch or
/// <c>null</c> at the end of data (and keeps returning <c>null</c>). Batches hold at most 65,536 rows; columns
/// may be <see cref="DictionaryVector"/>s and every operator accepts them. A returned batch (and its vectors)
/// must not be modified by the consumer, and stays valid after the next call (operators never recycle it).
/// An operator is used by one thread at a time. Dispose releases memory reservations and disposes inputs.
/// </summary>
public interface IBatchOperator : IDisposable
{
    /// <summary>Types of the output columns, in order.</summary>
    IReadOnlyList<DataType> OutputTypes { get; }

    ColumnBatch? Next();
}
