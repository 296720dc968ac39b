using Tarn.Storage.Scans;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Scan;

/// <summary>Reads the morsels of a planned table scan one after another (the serial scan).</summary>
public sealed class ScanOperator : IBatchOperator
{
    private readonly TableScan _scan;
    private readonly ExecutionContext _context;
    private readonly bool _ownsScan;
    private int _next;

    public ScanOperator(TableScan scan, IReadOnlyList<DataType> types, ExecutionContext context, bool ownsScan = true)
    {
        _scan = scan;
        OutputTypes = types;
        _context = context;
        _ownsScan = ownsScan;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (_next < _scan.Morsels.Count)
        {
            _context.ThrowIfCanceled();
            var batch = _scan.Morsels[_next++].Read();
            if (batch.RowCount > 0) return batch;
        }
        return null;
    }

    public void Dispose()
    {
        if (_ownsScan) _scan.Dispose();
    }
}

/// <summary>
/// One morsel as an operator (a parallel worker's pipeline source). With <paramref name="reuse"/> (per worker thread),
/// primitive column arrays of the previous morsel are decoded into again: only for pipelines whose sink consumes each
/// batch before asking for the next (aggregation).
/// </summary>
public sealed class MorselOperator(ScanMorsel morsel, IReadOnlyList<DataType> types, ColumnVector?[]? reuse = null, bool[]? unread = null) : IBatchOperator
{
    private bool _done;

    public IReadOnlyList<DataType> OutputTypes { get; } = types;

    public ColumnBatch? Next()
    {
        if (_done) return null;
        _done = true;
        var batch = morsel.Read(reuse, unread);
        return batch.RowCount > 0 ? batch : null;
    }

    public void Dispose() { }
}
