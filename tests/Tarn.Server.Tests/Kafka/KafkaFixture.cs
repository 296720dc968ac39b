using System.Net;
using Tarn.Server.Hosting;
using Tarn.Server.Kafka;

namespace Tarn.Server.Tests.Kafka;

/// <summary>A database in a temporary directory served by a <see cref="KafkaListener"/> on 127.0.0.1, port 0.</summary>
internal sealed class KafkaFixture : IAsyncDisposable
{
    private readonly string _dir;

    public KafkaFixture(ServerOptions? options = null)
    {
        _dir = Path.Combine(Path.GetTempPath(), "tarn-kafka-" + Guid.NewGuid().ToString("N"));
        Database = TarnDatabase.Open(_dir);
        Listener = new KafkaListener(Database, new IPEndPoint(IPAddress.Loopback, 0), options);
        Listener.Start();
    }

    public TarnDatabase Database { get; }

    public KafkaListener Listener { get; }

    public string Bootstrap => $"127.0.0.1:{Listener.LocalEndPoint.Port}";

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
