using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using Tarn.Server.Kafka;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;

namespace Tarn.Server.Tests.Kafka;

/// <summary>A database directory that outlives one server: the server can be stopped and started again on it.</summary>
internal sealed class RestartableKafkaServer : IAsyncDisposable
{
    public RestartableKafkaServer()
    {
        Directory = Path.Combine(Path.GetTempPath(), "tarn-kgroups-" + Guid.NewGuid().ToString("N"));
    }

    public string Directory { get; }
    public TarnDatabase? Database { get; private set; }
    public KafkaListener? Listener { get; private set; }
    public string Bootstrap => $"127.0.0.1:{Listener!.LocalEndPoint.Port}";

    public void Start()
    {
        Database = TarnDatabase.Open(Directory);
        Listener = new KafkaListener(Database, new IPEndPoint(IPAddress.Loopback, 0));
        Listener.Start();
    }

    public async Task StopAsync()
    {
        if (Listener is not null) await Listener.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        Listener = null;
        Database = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>
/// A Confluent.Kafka group consumer polled on its own thread (a consumer is used by one thread at a time); the test
/// reads what it saw and its current assignment, and runs actions (commit) on that thread.
/// </summary>
internal sealed class PolledConsumer : IDisposable
{
    private readonly IConsumer<Ignore, string> _consumer;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<(Action<IConsumer<Ignore, string>> Action, TaskCompletionSource Done)> _actions = new();
    private volatile bool _stop;
    private volatile int[] _assigned = [];

    public PolledConsumer(string bootstrap, string group, string topic, Action<ConsumerConfig>? configure = null,
        Action<ConsumerBuilder<Ignore, string>>? build = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            HeartbeatIntervalMs = 300,
            SessionTimeoutMs = 10000,
        };
        configure?.Invoke(config);
        var builder = new ConsumerBuilder<Ignore, string>(config);
        build?.Invoke(builder);
        _consumer = builder.Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Loop) { IsBackground = true };
        _thread.Start();
    }

    public ConcurrentQueue<(int Partition, long Offset, long Id)> Seen { get; } = new();

    public int[] Assigned => _assigned;

    private void Loop()
    {
        while (!_stop)
        {
            while (_actions.TryDequeue(out var a))
            {
                try
                {
                    a.Action(_consumer);
                    a.Done.SetResult();
                }
                catch (Exception e)
                {
                    a.Done.SetException(e);
                }
            }
            var cr = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            var assigned = _consumer.Assignment.Select(p => p.Partition.Value).Order().ToArray();
            _assigned = assigned;
            if (cr is null || cr.IsPartitionEOF) continue;
            using var doc = JsonDocument.Parse(cr.Message.Value);
            Seen.Enqueue((cr.Partition.Value, cr.Offset.Value, doc.RootElement.GetProperty("id").GetInt64()));
        }
    }

    public Task RunAsync(Action<IConsumer<Ignore, string>> action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _actions.Enqueue((action, done));
        return done.Task;
    }

    /// <summary>Stops polling and closes the consumer (LeaveGroup).</summary>
    public void Close()
    {
        _stop = true;
        _thread.Join();
        _consumer.Close();
    }

    public void Dispose()
    {
        if (!_stop) Close();
        _consumer.Dispose();
    }
}

internal static class GroupTestSupport
{
    /// <summary>Waits for a condition the clients reach asynchronously; fails (not hangs) after a generous deadline.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for: " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Inserts exactly <paramref name="perBucket"/> rows into each bucket of a table whose bucket key is <c>id</c>,
    /// choosing ids from <paramref name="firstId"/> on by the storage's bucket rule; returns the ids inserted, in order.
    /// </summary>
    public static async Task<List<long>> InsertSpreadAsync(TarnDatabase db, string table, int buckets, int perBucket, long firstId)
    {
        var counts = new int[buckets];
        var ids = new List<long>();
        for (var id = firstId; ids.Count < buckets * perBucket; id++)
        {
            var b = RowRouter.BucketOf([id.ToString(System.Globalization.CultureInfo.InvariantCulture)], buckets);
            if (counts[b] == perBucket) continue;
            counts[b]++;
            ids.Add(id);
        }
        await db.ExecuteAsync($"INSERT INTO {table} VALUES {string.Join(", ", ids.Select(id => $"({id}, 'v{id}')"))}");
        var positions = db.OpenStream(table, StreamStart.Latest).Positions;
        Assert.All(positions, p => Assert.Equal(0, p % perBucket)); // every bucket got its share
        return ids;
    }

    public const string Python = "/usr/bin/python3";

    /// <summary>Starts a kafka-python script (stdout and stderr redirected).</summary>
    public static Process StartPython(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c"); // the script inline: sys.argv[1:] are the arguments
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }
}
