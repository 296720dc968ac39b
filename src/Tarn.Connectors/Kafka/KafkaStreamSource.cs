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
/// Every polled batch holds records of one partition (<see cref="IPartitionedStreamSource"/>), so a WATERMARK on the
/// table is tracked per partition and the job's watermark is the minimum over the partitions, as in Flink: records of
/// a partition that lags behind the others in event time are not late.
/// </para>
/// </summary>
internal sealed class KafkaStreamSource : IPartitionedStreamSource
{
    private readonly KafkaTable _table;
    private readonly KafkaRowAssembler _rows;
    private readonly Dictionary<TopicPartition, KafkaPartitionState> _partitions = [];
    private readonly Dictionary<TopicPartition, int> _partitionIndexes = [];
    private KafkaReaderItem? _pending; // the first record of another partition than the batch polled last
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

    public int CurrentPartition { get; private set; }

    public int PartitionCount => _partitionIndexes.Count;

    /// <summary>
    /// Drains fetched records into one batch, stopping before the first record of another partition once the batch has
    /// rows (that record starts the next poll), so each batch belongs to one partition.
    /// </summary>
    public ChangeBatch? Poll(int maxRows)
    {
        if (_finished) return null;
        var reader = Start();
        var items = reader.Items;
        TopicPartition? current = null;
        while (_rows.RowCount < maxRows && TryNext(items, out var item))
        {
            if (item.Assigned is { } assigned)
            {
                foreach (var p in assigned)
                {
                    var tp = new TopicPartition(p.Topic, p.Partition);
                    _partitions[tp] = p.Copy();
                    IndexOf(tp);
                }
                _initialized = true;
                continue;
            }
            var record = item.Record!;
            if (current is not null && record.TopicPartition != current && _rows.RowCount > 0)
            {
                _pending = item;
                break;
            }
            current = record.TopicPartition;
            if (_partitions.TryGetValue(record.TopicPartition, out var state))
            {
                state.Next = record.Offset.Value + 1;
                state.SeekTimestamp = false;
            }
            _rows.Add(record);
        }
        var batch = _rows.Finish();
        if (batch is not null) CurrentPartition = IndexOf(current!);
        if (batch is null && _pending is null && items.Completion.IsCompleted)
        {
            if (items.Completion.IsFaulted) throw items.Completion.Exception!.InnerException!;
            _finished = _table.Options.IsBounded;
        }
        return batch;
    }

    private bool TryNext(System.Threading.Channels.ChannelReader<KafkaReaderItem> items, out KafkaReaderItem item)
    {
        if (_pending is { } pending)
        {
            item = pending;
            _pending = null;
            return true;
        }
        return items.TryRead(out item);
    }

    /// <summary>The dense index of a partition (in the order partitions became known).</summary>
    private int IndexOf(TopicPartition partition)
    {
        if (!_partitionIndexes.TryGetValue(partition, out var index))
        {
            index = _partitionIndexes.Count;
            _partitionIndexes[partition] = index;
        }
        return index;
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellation)
    {
        if (_finished || _pending is not null) return ValueTask.CompletedTask;
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
        foreach (var p in restored.Partitions)
        {
            var tp = new TopicPartition(p.Topic, p.Partition);
            _partitions[tp] = p.Copy();
            IndexOf(tp);
        }
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
