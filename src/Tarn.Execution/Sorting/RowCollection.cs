using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Sorting;

/// <summary>
/// Rows accumulated column-wise into flat, growable vectors (dictionary columns are expanded), with their memory
/// reserved against the query budget: 53200 when it runs out, unless the collection is <c>spillable</c>; then it
/// keeps growing and sets <see cref="OverBudget"/> so its owner spills it.
/// </summary>
public sealed class RowCollection : IDisposable
{
    private readonly MemoryReservation _memory;
    private readonly bool _spillable;

    public RowCollection(IReadOnlyList<DataType> types, ExecutionContext context, string consumer, bool spillable = false)
    {
        _spillable = spillable;
        Types = types;
        Columns = [.. types.Select(t => ColumnVector.Create(t, 1024))];
        _memory = new MemoryReservation(context.Memory, consumer);
    }

    public IReadOnlyList<DataType> Types { get; }

    public ColumnVector[] Columns { get; }

    public int Count { get; private set; }

    /// <summary>True once a spillable collection grew past the memory limit.</summary>
    public bool OverBudget { get; private set; }

    public void Append(ReadOnlySpan<ColumnVector> columns, int rowCount)
    {
        if ((long)Count + rowCount > Array.MaxLength / 2)
            throw new TarnException(SqlStates.OutOfMemory, "out of memory: too many rows to hold for sorting");
        for (var c = 0; c < Columns.Length; c++) VectorAppend.Append(Columns[c], columns[c], 0, rowCount);
        Count += rowCount;
        long bytes = 0;
        foreach (var c in Columns) bytes += VectorAppend.EstimateBytes(c);
        if (!_spillable) _memory.SetSize(bytes);
        else if (!_memory.TrySetSize(bytes))
        {
            _memory.ForceSize(bytes);
            OverBudget = true;
        }
    }

    /// <summary>The rows at <paramref name="rows"/> as a batch.</summary>
    public ColumnBatch Gather(ReadOnlySpan<int> rows)
    {
        var cols = new ColumnVector[Columns.Length];
        for (var c = 0; c < cols.Length; c++) cols[c] = Columns[c].Gather(rows);
        return new ColumnBatch(cols, rows.Length);
    }

    public void Dispose() => _memory.Dispose();
}
