using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Joins;

/// <summary>
/// Materializes a join's build input as flat vectors (dictionary columns are expanded so build rows can be
/// addressed by one global index), charging its size to the query's memory budget.
/// </summary>
internal sealed class BuildSide : IDisposable
{
    private readonly MemoryReservation _memory;

    public BuildSide(IReadOnlyList<DataType> types, ExecutionContext context, string consumer)
    {
        _memory = new MemoryReservation(context.Memory, consumer);
        Columns = new ColumnVector[types.Count];
        for (var c = 0; c < Columns.Length; c++) Columns[c] = ColumnVector.Create(types[c]);
    }

    public ColumnVector[] Columns { get; }

    public int RowCount { get; private set; }

    public void Append(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if ((long)RowCount + n > Array.MaxLength)
            throw new TarnException(SqlStates.OutOfMemory, "out of memory: the join build side has too many rows");
        for (var c = 0; c < Columns.Length; c++) VectorAppend.Append(Columns[c], batch.Columns[c], 0, n);
        RowCount += n;
    }

    /// <summary>Reserves the current size of the rows plus <paramref name="extraBytes"/> (53200 when over the limit).</summary>
    public void TrackMemory(long extraBytes)
    {
        var bytes = extraBytes;
        foreach (var c in Columns) bytes += VectorAppend.EstimateBytes(c);
        _memory.SetSize(bytes);
    }

    /// <summary>
    /// Like <see cref="TrackMemory"/> but never raises 53200: returns false when the rows no longer fit (they stay
    /// charged) so the owner can spill them.
    /// </summary>
    public bool TryTrackMemory(long extraBytes)
    {
        var bytes = extraBytes;
        foreach (var c in Columns) bytes += VectorAppend.EstimateBytes(c);
        if (_memory.TrySetSize(bytes)) return true;
        _memory.ForceSize(bytes);
        return false;
    }

    public void Dispose() => _memory.Dispose();
}
