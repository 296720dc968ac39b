using System.Collections.Concurrent;
using Tarn.Storage.Scans;

namespace Tarn.Server.Kafka.Groups;

/// <summary>
/// The group coordinator of this single-node endpoint (every group's coordinator is this node): consumer group
/// membership (<see cref="ConsumerGroup"/>), session timeouts, and committed offsets kept durable by
/// <see cref="OffsetStore"/>. Committed offsets are also registered as the table's consumer positions
/// (<c>kafka:&lt;group&gt;</c>), so compaction keeps them as boundaries (storage-spec DB-052).
/// </summary>
internal sealed partial class GroupCoordinator : IDisposable
{
    /// <summary>Kafka's limit on commit metadata (offset.metadata.max.bytes).</summary>
    public const int MaxMetadataChars = 4096;

    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly TarnDatabase? _database;
    private readonly Timer _timer;
    private readonly int _initialRebalanceDelayMs;
    private readonly ConcurrentDictionary<(string Group, string Topic), long[]> _registered = new();

    public GroupCoordinator(TarnDatabase? database, OffsetStore store, int initialRebalanceDelayMs = 500, int tickMs = 100)
    {
        _database = database;
        Store = store;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
        var loaded = store.LoadAll();
        foreach (var (path, groupId, offsets, error) in loaded)
            if (groupId is null || offsets is null) DamagedFiles.Add((path, error));
        foreach (var (_, groupId, offsets, _) in loaded)
        {
            if (groupId is null || offsets is null) continue;
            var group = GetOrCreate(groupId);
            foreach (var (key, value) in offsets) group.Offsets[key] = value;
        }
        _timer = new Timer(_ => Tick(), null, tickMs, tickMs);
    }

    public OffsetStore Store { get; }

    /// <summary>Offsets files that failed their checks at startup (their groups start without offsets and are reported).</summary>
    public List<(string Path, TarnException? Error)> DamagedFiles { get; } = [];

    public static long Now => Environment.TickCount64;

    /// <summary>Groups with neither members nor offsets are forgotten after this long unused (their ids are not kept forever).</summary>
    private const long ForgetIdleGroupsAfterMs = 10 * 60 * 1000;

    public ConsumerGroup GetOrCreate(string groupId)
    {
        var group = Create(groupId);
        group.Touch(Now);
        return group;
    }

    private ConsumerGroup Create(string groupId) =>
        _groups.GetOrAdd(groupId, id =>
        {
            var group = new ConsumerGroup(id, _initialRebalanceDelayMs);
            // a damaged file whose group id cannot be read cannot be matched to its group; its path still tells
            if (Store.PathOf(id) is { } path)
                foreach (var (damaged, _) in DamagedFiles)
                    if (damaged == path) group.OffsetsDamaged = true;
            return group;
        });

    public ConsumerGroup? Find(string groupId) => _groups.TryGetValue(groupId, out var g) ? g : null;

    public ICollection<ConsumerGroup> Groups => _groups.Values;

    private void Tick()
    {
        var now = Now;
        foreach (var (id, group) in _groups)
        {
            group.Tick(now);
            if (group.CanForget(now, ForgetIdleGroupsAfterMs)) _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(id, group));
        }
    }

    /// <summary>
    /// Stores a commit durably (the file is fsynced before this returns) and registers the new positions as table
    /// consumers. Returns an error code for the whole commit.
    /// </summary>
    public async Task<short> CommitAsync(ConsumerGroup group, List<(string Topic, int Partition, CommittedOffset Offset)> commits)
    {
        await group.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            Dictionary<(string, int), CommittedOffset> snapshot;
            lock (group.Gate)
            {
                if (group.OffsetsDamaged) return KafkaErrors.KafkaStorageError;
                if (group.Deleted) return GroupErrors.CoordinatorNotAvailable; // deleted meanwhile: the client retries on a new group
                foreach (var (topic, partition, offset) in commits) group.Offsets[(topic, partition)] = offset;
                snapshot = new Dictionary<(string, int), CommittedOffset>(group.Offsets);
            }
            try
            {
                Store.Write(group.GroupId, snapshot);
            }
            catch (Exception e) when (e is TarnException or IOException or UnauthorizedAccessException)
            {
                return KafkaErrors.KafkaStorageError;
            }
            await RegisterConsumersAsync(group.GroupId, commits, snapshot).ConfigureAwait(false);
            return KafkaErrors.None;
        }
        finally
        {
            group.WriteLock.Release();
        }
    }

    /// <summary>
    /// Records the group's positions in each committed native table as consumer <c>kafka:&lt;group&gt;</c>: buckets
    /// without a commit count as position 0 (the group has read nothing of them).
    /// </summary>
    private async Task RegisterConsumersAsync(string groupId, List<(string Topic, int Partition, CommittedOffset Offset)> commits, Dictionary<(string, int), CommittedOffset> all)
    {
        if (_database is null) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (topic, _, _) in commits)
        {
            if (!seen.Add(topic) || !KafkaTopics.IsValidName(topic)) continue;
            try
            {
                var high = _database.OpenStream(topic, StreamStart.Latest).Positions;
                var positions = new long[high.Count];
                for (var b = 0; b < positions.Length; b++)
                    positions[b] = all.TryGetValue((topic, b), out var c) ? Math.Clamp(c.Offset, 0, high[b]) : 0;
                if (_registered.TryGetValue((groupId, topic), out var previous) && previous.AsSpan().SequenceEqual(positions)) continue;
                await _database.OpenStream(topic, StreamStart.AtOffsets(positions)).CommitAsync("kafka:" + groupId).ConfigureAwait(false);
                _registered[(groupId, topic)] = positions;
            }
            catch (Exception e) when (e is TarnException or ArgumentException or InvalidOperationException or ObjectDisposedException)
            {
                // not a native table (or dropped meanwhile, or the database is closing): the offsets file alone holds the commit
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        foreach (var group in _groups.Values) group.Shutdown();
    }
}
