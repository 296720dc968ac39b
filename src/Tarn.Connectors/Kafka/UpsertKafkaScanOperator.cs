using Tarn.Execution;
using Tarn.Execution.Streaming;
using Tarn.Execution.Streaming.State;
using Tarn.Storage.Format;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A batch query over an upsert-kafka table: the table's current contents, i.e. the latest value of every key whose
/// last record is not a tombstone, in the order those records arrived. The source reads up to the offsets that are
/// the latest when the query starts (or <c>scan.bounded.mode</c>'s), with the primary key columns added when the
/// query does not read them; they are dropped from the output again.
/// </summary>
internal sealed class UpsertKafkaScanOperator : IBatchOperator
{
    private readonly KafkaStreamSource _source;
    private readonly ExecutionContext _context;
    private readonly int[] _keyColumns;   // positions of the key columns in the source's output
    private readonly int _outputCount;    // the first columns of the source's output are the query's
    private readonly IReadOnlyList<DataType> _types;
    private List<ColumnBatch>? _result;
    private int _next;

    public UpsertKafkaScanOperator(KafkaStreamSource source, int[] keyColumns, int outputCount, ExecutionContext context)
    {
        _source = source;
        _keyColumns = keyColumns;
        _outputCount = outputCount;
        _context = context;
        var types = new DataType[outputCount];
        for (var i = 0; i < outputCount; i++) types[i] = source.OutputTypes[i];
        _types = types;
    }

    public IReadOnlyList<DataType> OutputTypes => _types;

    public ColumnBatch? Next()
    {
        _result ??= ReadAll();
        return _next < _result.Count ? _result[_next++] : null;
    }

    private List<ColumnBatch> ReadAll()
    {
        var batches = new List<ChangeBatch>();
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_source.Poll(_context.BatchSize) is { } batch) batches.Add(batch);
            else if (_source.IsFinished) break;
            else
            {
                try
                {
                    _source.WaitForDataAsync(_context.Cancellation).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    throw _context.CanceledError();
                }
            }
        }
        // the last record of each key decides: remember where it is
        var latest = new Dictionary<byte[], (int Batch, int Row)>(ByteKeyComparer.Instance);
        var key = new ByteWriter(64);
        for (var b = 0; b < batches.Count; b++)
        {
            var rows = batches[b].Rows;
            for (var r = 0; r < rows.RowCount; r++)
            {
                key.Clear();
                foreach (var c in _keyColumns) ValueCodec.Write(key, rows[c], r);
                latest[key.ToArray()] = (b, r);
            }
        }
        var keep = new List<int>[batches.Count];
        for (var b = 0; b < keep.Length; b++) keep[b] = [];
        foreach (var (b, r) in latest.Values)
            if (batches[b].KindOf(r) != RowKind.Delete) keep[b].Add(r);
        var result = new List<ColumnBatch>();
        for (var b = 0; b < batches.Count; b++)
        {
            if (keep[b].Count == 0) continue;
            keep[b].Sort();
            var rows = batches[b].Rows.Gather(keep[b].ToArray());
            var columns = new ColumnVector[_outputCount];
            for (var c = 0; c < columns.Length; c++) columns[c] = rows.Columns[c];
            result.Add(new ColumnBatch(columns, rows.RowCount));
        }
        return result;
    }

    public void Dispose() => _source.Dispose();
}
