using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Tarn.Server.Kafka;
using Tarn.Storage.Scans;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Idempotent producers: retries are recognised, gaps and old epochs refused, state survives a restart.</summary>
public sealed class KafkaIdempotenceTests
{
    private static async Task<long> CountAsync(TarnDatabase db, string table) =>
        Convert.ToInt64((await db.ExecuteAsync($"SELECT count(*) FROM {table}")).Rows.Single()[0]);

    [Fact]
    public async Task A_resent_batch_gets_its_original_offset_and_is_not_written_again_even_after_a_restart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-idem-" + Guid.NewGuid().ToString("N"));
        try
        {
            long pid;
            short epoch;
            {
                await using var db = TarnDatabase.Open(dir);
                await db.ExecuteAsync("CREATE TABLE t (`value` BYTES) WITH ('bucket' = '2')");
                await using var listener = new KafkaListener(db, new IPEndPoint(IPAddress.Loopback, 0));
                listener.Start();
                using var client = await KafkaRawClient.ConnectAsync(listener.LocalEndPoint);
                (pid, epoch) = await client.InitProducerIdAsync();
                Assert.True(pid >= 0);
                Assert.Equal(0, epoch);
                Assert.Equal((KafkaErrors.None, 0L), await client.ProduceAsync("t", 1, pid, epoch, 0, "a", "b", "c"));
                Assert.Equal((KafkaErrors.None, 3L), await client.ProduceAsync("t", 1, pid, epoch, 3, "d", "e"));
                // the retry of the first batch: success with the original offset, nothing written
                Assert.Equal((KafkaErrors.None, 0L), await client.ProduceAsync("t", 1, pid, epoch, 0, "a", "b", "c"));
                Assert.Equal(5L, await CountAsync(db, "t"));
                // a gap in the sequence, and an epoch older than the producer's
                Assert.Equal(KafkaErrors.OutOfOrderSequenceNumber, (await client.ProduceAsync("t", 1, pid, epoch, 9, "x")).Error);
                Assert.Equal(KafkaErrors.None, (await client.ProduceAsync("t", 0, pid, 1, 0, "p0")).Error); // other partition, newer epoch
                Assert.Equal(KafkaErrors.InvalidProducerEpoch, (await client.ProduceAsync("t", 0, pid, 0, 1, "old")).Error);
                Assert.Equal(6L, await CountAsync(db, "t"));
            }
            {
                await using var db = TarnDatabase.Open(dir);
                await using var listener = new KafkaListener(db, new IPEndPoint(IPAddress.Loopback, 0));
                listener.Start();
                using var client = await KafkaRawClient.ConnectAsync(listener.LocalEndPoint);
                // after the restart the last batch is still known, and the sequence continues where it was
                Assert.Equal((KafkaErrors.None, 3L), await client.ProduceAsync("t", 1, pid, epoch, 3, "d", "e"));
                Assert.Equal(KafkaErrors.OutOfOrderSequenceNumber, (await client.ProduceAsync("t", 1, pid, epoch, 6, "g")).Error);
                Assert.Equal((KafkaErrors.None, 5L), await client.ProduceAsync("t", 1, pid, epoch, 5, "f"));
                Assert.Equal(7L, await CountAsync(db, "t"));
                var values = await db.ExecuteAsync("SELECT `value` FROM t");
                var text = values.Rows.Select(r => Encoding.UTF8.GetString((byte[])r[0]!)).Order().ToArray();
                Assert.Equal(["a", "b", "c", "d", "e", "f", "p0"], text);
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Librdkafka_idempotent_producer_through_a_connection_cutting_proxy_stores_every_message_once_in_order()
    {
        await using var fx = new KafkaFixture();
        await fx.Database.ExecuteAsync("CREATE TABLE chaos (`key` BYTES, `value` BYTES, `headers` BYTES, `timestamp` TIMESTAMP_LTZ(3)) WITH ('bucket' = '1')");
        await using var proxy = new CuttingProxy(fx.Listener.LocalEndPoint, cutEveryBytes: 24 * 1024);
        fx.Listener.AdvertisedEndPoint = proxy.EndPoint;
        const int n = 3000;
        var config = new ProducerConfig
        {
            BootstrapServers = $"127.0.0.1:{proxy.EndPoint.Port}",
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 2,
            BatchNumMessages = 50,
            MessageTimeoutMs = 60000,
            RetryBackoffMs = 20,
            ReconnectBackoffMs = 20,
            ReconnectBackoffMaxMs = 200,
        };
        var offsets = new long[n];
        using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            var errors = 0;
            for (var i = 0; i < n; i++)
            {
                var index = i;
                producer.Produce(new TopicPartition("chaos", 0), new Message<Null, string> { Value = $"m{i:D5}-" + new string('x', 100) }, report =>
                {
                    if (report.Error.IsError) Interlocked.Increment(ref errors);
                    else offsets[index] = report.Offset.Value;
                });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(90)));
            Assert.Equal(0, errors);
        }
        Assert.True(proxy.Cuts > 0, "the proxy never cut a connection");

        var reader = fx.Database.OpenStream("chaos", StreamStart.Earliest, ["value"]);
        var seen = new List<(long Offset, string Value)>();
        while (seen.Count < n + 1 && reader.TryRead() is { } batch)
        {
            var offsetsColumn = batch.Rows.Columns[1];
            for (var r = 0; r < batch.Rows.RowCount; r++)
                seen.Add((Convert.ToInt64(offsetsColumn.GetValue(r)), Encoding.UTF8.GetString((byte[])batch.Rows.Columns[0].GetValue(r)!)));
        }
        Assert.Equal(n, seen.Count);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i, seen[i].Offset);
            Assert.StartsWith($"m{i:D5}-", seen[i].Value);
            Assert.Equal(i, offsets[i]); // the delivery report's offset is the row's offset
        }
    }
}

/// <summary>A loopback TCP proxy that forwards both ways and drops both sides after every N bytes from the client.</summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly int _cutEveryBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _cuts;

    public CuttingProxy(IPEndPoint target, int cutEveryBytes)
    {
        _target = target;
        _cutEveryBytes = cutEveryBytes;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = PumpAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(_target);
                var up = CopyAsync(client.GetStream(), server.GetStream(), _cutEveryBytes);
                var down = CopyAsync(server.GetStream(), client.GetStream(), int.MaxValue);
                var first = await Task.WhenAny(up, down);
                if (first == up && await up) Interlocked.Increment(ref _cuts);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Copies until either side ends; returns true when it stopped because the byte budget ran out (a cut).</summary>
    private static async Task<bool> CopyAsync(NetworkStream from, NetworkStream to, int budget)
    {
        var buffer = new byte[8192];
        var copied = 0;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer);
                if (n == 0) return false;
                var take = Math.Min(n, budget - copied);
                await to.WriteAsync(buffer.AsMemory(0, take));
                copied += take;
                if (copied >= budget) return true;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accept; } catch (OperationCanceledException) { }
    }
}
