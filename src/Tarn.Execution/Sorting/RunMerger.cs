using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Sorting;

/// <summary>
/// K-way merge of sorted runs (sequences of batches) into one sorted sequence of batches of at most
/// <c>batchSize</c> rows. A binary heap picks the run with the smallest current row; that run then contributes
/// its following rows as one slice for as long as they do not pass the next run's current row, so runs that are
/// already apart are merged by bulk copies rather than row by row.
/// </summary>
internal sealed class RunMerger
{
    private readonly IReadOnlyList<DataType> _types;
    private readonly RowComparer _comparer;
    private readonly int _batchSize;
    private readonly ExecutionContext _context;
    private readonly MemoryReservation _memory;

    public RunMerger(IReadOnlyList<DataType> types, RowComparer comparer, int batchSize, ExecutionContext context, MemoryReservation memory)
    {
        _types = types;
        _comparer = comparer;
        _batchSize = Math.Max(1, batchSize);
        _context = context;
        _memory = memory;
    }

    public IEnumerable<ColumnBatch> Merge(IReadOnlyList<IEnumerable<ColumnBatch>> runs)
    {
        var k = runs.Count;
        var sources = new IEnumerator<ColumnBatch>[k];
        var batches = new ColumnBatch?[k];
        var positions = new int[k];
        var heap = new int[k];
        var heapSize = 0;
        try
        {
            for (var r = 0; r < k; r++)
            {
                sources[r] = runs[r].GetEnumerator();
                if (Advance(sources[r], out batches[r])) heap[heapSize++] = r;
            }
            TrackMemory(batches);
            for (var i = heapSize / 2 - 1; i >= 0; i--) SiftDown(heap, heapSize, i, batches, positions);

            var output = NewBuilders();
            var outputRows = 0;
            while (heapSize > 0)
            {
                var s = heap[0];
                var batch = batches[s]!;
                var start = positions[s];
                var end = start + 1;
                var limit = Math.Min(batch.RowCount, start + (_batchSize - outputRows));
                if (heapSize == 1) end = limit;
                else
                {
                    var other = heapSize == 2 || Less(heap[1], heap[2], batches, positions) ? heap[1] : heap[2];
                    var ob = batches[other]!;
                    var op = positions[other];
                    while (end < limit && _comparer.Compare(batch, end, ob, op) <= 0) end++;
                }
                for (var c = 0; c < output.Length; c++) VectorAppend.Append(output[c], batch.Columns[c], start, end - start);
                outputRows += end - start;
                positions[s] = end;
                if (end == batch.RowCount)
                {
                    positions[s] = 0;
                    if (!Advance(sources[s], out batches[s]))
                    {
                        heap[0] = heap[--heapSize];
                    }
                    TrackMemory(batches);
                }
                if (heapSize > 0) SiftDown(heap, heapSize, 0, batches, positions);
                if (outputRows == _batchSize)
                {
                    _context.ThrowIfCanceled();
                    yield return new ColumnBatch(output, outputRows);
                    output = NewBuilders();
                    outputRows = 0;
                }
            }
            if (outputRows > 0) yield return new ColumnBatch(output, outputRows);
        }
        finally
        {
            foreach (var s in sources) s?.Dispose();
        }
    }

    private ColumnVector[] NewBuilders()
    {
        var columns = new ColumnVector[_types.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ColumnVector.Create(_types[c], _batchSize);
        return columns;
    }

    private static bool Advance(IEnumerator<ColumnBatch> source, out ColumnBatch? batch)
    {
        while (source.MoveNext())
        {
            if (source.Current.RowCount == 0) continue;
            batch = source.Current;
            return true;
        }
        batch = null;
        return false;
    }

    /// <summary>The current batch of every run is held in memory while merging: charged, never refused.</summary>
    private void TrackMemory(ColumnBatch?[] batches)
    {
        long bytes = 0;
        foreach (var b in batches)
        {
            if (b is null) continue;
            foreach (var c in b.Columns) bytes += VectorAppend.EstimateBytes(c);
        }
        _memory.ForceSize(bytes);
    }

    private bool Less(int a, int b, ColumnBatch?[] batches, int[] positions)
    {
        var c = _comparer.Compare(batches[a]!, positions[a], batches[b]!, positions[b]);
        return c < 0 || (c == 0 && a < b);
    }

    private void SiftDown(int[] heap, int size, int i, ColumnBatch?[] batches, int[] positions)
    {
        while (true)
        {
            var l = 2 * i + 1;
            if (l >= size) return;
            var m = l + 1 < size && Less(heap[l + 1], heap[l], batches, positions) ? l + 1 : l;
            if (!Less(heap[m], heap[i], batches, positions)) return;
            (heap[m], heap[i]) = (heap[i], heap[m]);
            i = m;
        }
    }
}
