using Confluent.Kafka;
using Tarn.Execution.Streaming;
using Tarn.Types;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A kafka table followed as a stream, with exactly-once input: the position is each assigned partition's next
/// offset after the records returned so far (plus bounded stops), saved with the job's output and restored by
/// assigning the partitions at those offsets. The consumer runs on a background thread
/// (<see cref="KafkaPartitionReader"/>) that is started by the first poll, after any restore; polls only drain what
/// it has fetched and never block.
/// <para>
/// Watermarks are not per partition: the job's watermark assigner sees this source's rows in arrival order (records
/// of several partitions interleaved), so out-of-order data across partitions must be covered by the watermark's
/// delay. Flink's per-partition watermarks need the source to emit watermarks itself, which
/// <see cref="IStreamSource"/> does not offer yet.
/// </para>
/// </summary>
internal sealed class KafkaStreamSource : IStreamSource
{
    private readonly KafkaTable _table;
    private readonly KafkaRowAssembler _rows;
    private readonly Dictionary<TopicPartition, KafkaPartitionState> _partitions = [];
    private KafkaPosition? _restored;
    private List<KafkaPartitionState> _lastSaved = [];
    private KafkaPartitionReader? _reader;
    private bool _initialized;
    private bool _finished;

    public KafkaStreamSource(KafkaTable table, IReadOnlyList<int> columnIndexes, TimeZoneInfo zone, int batchSize = 8192)
    {
        _table = table;
        _rows = new KafkaRowAssembler(table, columnIndexes, zone, batchSize);
    }

    public IReadOnlyList<DataType> OutputTypes => _rows.OutputTypes;

    public bool IsFinished => _finished;

    /// <summary>Records skipped as undecodable (with <c>ignore-parse-errors</c>).</summary>
    public long SkippedRecords => _rows.SkippedRecords;

    public ChangeBatch? Poll(int maxRows)
    {
        if (_finished) return null;
        var reader = Start();
        var items = reader.Items;
        while (_rows.RowCount < maxRows && items.TryRead(out var item))
        {
            if (item.Assigned is { } assigned)
            {
                foreach (var p in assigned) _partitions[new TopicPartition(p.Topic, p.Partition)] = p.Copy();
                _initialized = true;
                continue;
            }
            var record = item.Record!;
            if (_partitions.TryGetValue(record.TopicPartition, out var state))
            {
                state.Next = record.Offset.Value + 1;
                state.SeekTimestamp = false;
            }
            _rows.Add(record);
        }
        var batch = _rows.Finish();
        if (batch is null && items.Completion.IsCompleted)
        {
            if (items.Completion.IsFaulted) throw items.Completion.Exception!.InnerException!;
            _finished = _table.Options.IsBounded;
        }
        return batch;
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellation)
    {
        if (_finished) return ValueTask.CompletedTask;
        return Wait(Start(), cancellation);
    }

    private static async ValueTask Wait(KafkaPartitionReader reader, CancellationToken cancellation)
    {
        try
        {
            await reader.Items.WaitToReadAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the reader failed: the next Poll reports it
        }
    }

    public byte[] SavePosition()
    {
        var partitions = new List<KafkaPartitionState>(_partitions.Count);
        foreach (var p in _partitions.Values) partitions.Add(p.Copy());
        partitions.Sort((a, b) => string.CompareOrdinal(a.Topic, b.Topic) != 0 ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.CompareTo(b.Partition));
        if (_reader is not null && partitions.Count > 0)
        {
            // The position saved before this one is committed by now (the job commits after each save), so it is safe
            // to show it to the consumer group; Kafka's committed offsets are for monitoring and group-offsets starts.
            var commit = new List<TopicPartitionOffset>(partitions.Count);
            foreach (var p in _lastSaved) commit.Add(new TopicPartitionOffset(p.Topic, p.Partition, p.Next));
            _reader.Commit(commit);
        }
        _lastSaved = partitions;
        return new KafkaPosition { Initialized = _initialized, Partitions = partitions }.Encode();
    }

    public void RestorePosition(ReadOnlySpan<byte> position)
    {
        if (_reader is not null)
            throw new TarnException(SqlStates.ObjectNotInPrerequisiteState, $"kafka table '{_table.Name}': a source position can only be restored before reading");
        var restored = KafkaPosition.Decode(position);
        _restored = restored;
        _partitions.Clear();
        foreach (var p in restored.Partitions) _partitions[new TopicPartition(p.Topic, p.Partition)] = p.Copy();
        _initialized = restored.Initialized;
    }

    public void Dispose() => _reader?.Dispose();

    private KafkaPartitionReader Start()
    {
        if (_reader is not null) return _reader;
        _reader = new KafkaPartitionReader(_table, _restored);
        _reader.Start();
        return _reader;
    }
}
