using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// The background thread of a kafka source: owns the librdkafka consumer, finds the topics' partitions (again every
/// <c>scan.topic-partition-discovery.interval</c>), resolves where each starts (and, for bounded reads, stops) to
/// concrete offsets, assigns them, and feeds records into a bounded channel the job thread drains without blocking.
/// Partitions are assigned, not subscribed through a consumer group: positions live in the job's checkpoint.
/// Any failure completes the channel with the error, which the source reports from its next poll.
/// </summary>
internal sealed class KafkaPartitionReader : IDisposable
{
    private const int Capacity = 20_000;
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);

    private readonly KafkaTable _table;
    private readonly KafkaPosition? _restored;
    private readonly Channel<KafkaReaderItem> _channel = Channel.CreateBounded<KafkaReaderItem>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<List<TopicPartitionOffset>> _commits = new();
    private readonly Dictionary<TopicPartition, KafkaPartitionState> _active = [];
    private readonly HashSet<TopicPartition> _known = [];
    private readonly TimeSpan _timeout;
    private readonly KafkaBlockingCalls _calls;
    private Thread? _thread;
    private string? _lastError;

    public KafkaPartitionReader(KafkaTable table, KafkaPosition? restored)
    {
        _table = table;
        _restored = restored;
        _timeout = table.Options.Properties.TryGetValue("default.api.timeout.ms", out var t) && int.TryParse(t, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(30);
        _calls = new KafkaBlockingCalls(_timeout, _stop.Token);
    }

    public ChannelReader<KafkaReaderItem> Items => _channel.Reader;

    /// <summary>Whether the user named a consumer group (only then are offsets committed back to Kafka).</summary>
    private bool HasGroup => _table.Options.Properties.ContainsKey("group.id");

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"kafka {_table.Name}" };
        _thread.Start();
    }

    /// <summary>Commits offsets to the consumer group for monitoring (Flink does so on checkpoints); never read back for exactly-once.</summary>
    public void Commit(List<TopicPartitionOffset> offsets)
    {
        if (HasGroup && offsets.Count > 0) _commits.Enqueue(offsets);
    }

    public void Dispose()
    {
        _stop.Cancel();
        // The thread checks for the stop between polls and between the slices of a broker request (at most
        // PollTimeout or KafkaBlockingCalls.Slice apart); if librdkafka hangs on close the token stays undisposed
        // for the thread to read.
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(30))) _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            using var consumer = BuildConsumer();
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var options = _table.Options;
            if (_restored is { Initialized: true } restored)
            {
                var assign = new List<TopicPartitionOffset>();
                foreach (var p in restored.Partitions)
                {
                    var tp = new TopicPartition(p.Topic, p.Partition);
                    _known.Add(tp);
                    if (p.Stop >= 0 && p.Next >= p.Stop) continue;
                    _active[tp] = p.Copy();
                    assign.Add(new TopicPartitionOffset(tp, p.Next));
                }
                if (assign.Count > 0) consumer.IncrementalAssign(assign);
                Discover(consumer, admin, initial: false);
            }
            else Discover(consumer, admin, initial: true);
            var nextDiscovery = options.DiscoveryInterval is { } interval && !options.IsBounded ? DateTime.UtcNow + interval : DateTime.MaxValue;
            while (!_stop.IsCancellationRequested)
            {
                if (options.IsBounded && _active.Count == 0) break;
                if (DateTime.UtcNow >= nextDiscovery)
                {
                    Discover(consumer, admin, initial: false);
                    nextDiscovery = DateTime.UtcNow + options.DiscoveryInterval!.Value;
                }
                CommitRequested(consumer);
                ConsumeResult<byte[]?, byte[]?>? record;
                try
                {
                    record = consumer.Consume(PollTimeout);
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    _lastError = e.Error.Reason;
                    continue;
                }
                if (record is null || record.IsPartitionEOF)
                {
                    if (options.IsBounded) FinishCaughtUp(consumer);
                    continue;
                }
                if (!_active.TryGetValue(record.TopicPartition, out var state)) continue;
                if (ReachedStop(state, record))
                {
                    Finish(consumer, record.TopicPartition);
                    continue;
                }
                if (state.SeekTimestamp)
                {
                    if (record.Message.Timestamp.UnixTimestampMs < options.Startup.TimestampMillis) continue;
                    state.SeekTimestamp = false;
                }
                if (!Write(new KafkaReaderItem(record, null))) break;
                if (state.Stop >= 0 && record.Offset.Value + 1 >= state.Stop) Finish(consumer, record.TopicPartition);
            }
            CommitRequested(consumer);
            _channel.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _channel.Writer.TryComplete(e is TarnException ? e : new TarnException(SqlStates.IoError,
                $"kafka table '{_table.Name}': reading from {_table.Options.Properties["bootstrap.servers"]} failed: {e.Message}"));
        }
    }

    private bool ReachedStop(KafkaPartitionState state, ConsumeResult<byte[]?, byte[]?> record) =>
        (state.Stop >= 0 && record.Offset.Value >= state.Stop)
        || (_table.Options.Bounded is { Mode: KafkaBoundedMode.Timestamp, TimestampMillis: { } stopAt } && record.Message.Timestamp.UnixTimestampMs >= stopAt);

    private void Finish(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        _active.Remove(partition);
        consumer.IncrementalUnassign([partition]);
    }

    /// <summary>
    /// Ends bounded partitions whose fetch position reached the stop offset without a record at stop - 1 (the last
    /// offsets of a partition may be transaction markers or compacted away, and are never delivered).
    /// </summary>
    private void FinishCaughtUp(IConsumer<byte[]?, byte[]?> consumer)
    {
        List<TopicPartition>? done = null;
        foreach (var (tp, state) in _active)
            if (state.Stop >= 0 && consumer.Position(tp).Value >= state.Stop) (done ??= []).Add(tp);
        if (done is null) return;
        foreach (var tp in done) Finish(consumer, tp);
    }

    /// <summary>Blocks while the channel is full (the job thread is behind); false when the source is closing.</summary>
    private bool Write(KafkaReaderItem item)
    {
        while (!_channel.Writer.TryWrite(item))
        {
            try
            {
                if (!_channel.Writer.WaitToWriteAsync(_stop.Token).AsTask().GetAwaiter().GetResult()) return false;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    private void CommitRequested(IConsumer<byte[]?, byte[]?> consumer)
    {
        List<TopicPartitionOffset>? last = null;
        while (_commits.TryDequeue(out var offsets)) last = offsets;
        if (last is null) return;
        try
        {
            consumer.Commit(last);
        }
        catch (KafkaException e)
        {
            _lastError = e.Error.Reason; // informational only: positions are in the job's checkpoint
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = new Dictionary<string, string>(_table.Options.Properties)
        {
            ["enable.auto.commit"] = "false",
            ["enable.auto.offset.store"] = "false",
        };
        config.TryAdd("group.id", $"tarn-{_table.Name}");
        config.TryAdd("auto.offset.reset", "earliest");
        if (config["auto.offset.reset"].Equals("none", StringComparison.OrdinalIgnoreCase)) config["auto.offset.reset"] = "error"; // Kafka's Java name
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, e) => _lastError = e.Reason)
            .SetLogHandler((_, _) => { })
            .Build();
    }

    /// <summary>
    /// Looks for partitions not seen yet and starts reading them: on the first run per <c>scan.startup.mode</c>,
    /// later (new partitions, new topics of a pattern) from their earliest offset.
    /// </summary>
    private void Discover(IConsumer<byte[]?, byte[]?> consumer, IAdminClient admin, bool initial)
    {
        var options = _table.Options;
        var found = new List<TopicPartition>();
        if (options.TopicPattern is { } pattern)
        {
            var metadata = GetMetadata(timeout => admin.GetMetadata(timeout));
            foreach (var topic in metadata.Topics)
                if (topic.Error.Code == ErrorCode.NoError && pattern.IsMatch(topic.Topic))
                    foreach (var p in topic.Partitions) found.Add(new TopicPartition(topic.Topic, p.PartitionId));
        }
        else
        {
            foreach (var name in options.Topics)
            {
                var metadata = GetMetadata(timeout => admin.GetMetadata(name, timeout));
                var topic = metadata.Topics.FirstOrDefault(t => t.Topic == name);
                if (topic is null || topic.Error.Code != ErrorCode.NoError || topic.Partitions.Count == 0)
                {
                    if (!initial) continue;
                    throw new TarnException(SqlStates.UndefinedObject,
                        $"kafka table '{_table.Name}': topic '{name}' does not exist at {options.Properties["bootstrap.servers"]}{(topic is null ? "" : $" ({topic.Error.Reason})")}");
                }
                foreach (var p in topic.Partitions) found.Add(new TopicPartition(name, p.PartitionId));
            }
        }
        var fresh = new List<TopicPartition>();
        foreach (var tp in found)
            if (_known.Add(tp)) fresh.Add(tp);
        if (fresh.Count == 0 && !initial) return;
        fresh.Sort((a, b) => string.CompareOrdinal(a.Topic, b.Topic) != 0 ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.Value.CompareTo(b.Partition.Value));
        var offsets = new KafkaOffsetResolver(consumer, _table, _calls);
        var states = initial ? offsets.Startup(fresh) : offsets.Earliest(fresh);
        if (options.IsBounded) states = offsets.WithStops(states);
        var assign = new List<TopicPartitionOffset>();
        foreach (var s in states)
        {
            if (s.Stop >= 0 && s.Next >= s.Stop) continue;
            var tp = new TopicPartition(s.Topic, s.Partition);
            _active[tp] = s.Copy();
            assign.Add(new TopicPartitionOffset(tp, s.Next));
        }
        Write(new KafkaReaderItem(null, states));
        if (assign.Count > 0) consumer.IncrementalAssign(assign);
    }

    private Metadata GetMetadata(Func<TimeSpan, Metadata> get)
    {
        try
        {
            return _calls.Run(get);
        }
        catch (KafkaException e)
        {
            throw KafkaBlockingCalls.TimedOut(e.Error.Code)
                ? KafkaBlockingCalls.Unreachable(_table, _calls, "metadata", e, _lastError)
                : new TarnException(SqlStates.IoError,
                    $"kafka table '{_table.Name}': cannot read metadata from {_table.Options.Properties["bootstrap.servers"]}: {e.Error.Reason}{(_lastError is null ? "" : $" ({_lastError})")}");
        }
    }
}
