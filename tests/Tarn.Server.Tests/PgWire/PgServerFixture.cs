using System.Net;
using Tarn.Server.Hosting;

namespace Tarn.Server.Tests.PgWire;

/// <summary>A server over a fresh database in a temporary directory, listening on 127.0.0.1 and a free port.</summary>
public sealed class PgServerFixture : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tarn-pgwire-" + Guid.NewGuid().ToString("N"));

    public PgServerFixture()
    {
        Server = new TarnServer(TarnDatabase.Open(_directory));
        Port = Server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
    }

    public TarnServer Server { get; }

    public int Port { get; }

    /// <summary>Npgsql with its default type loading: its first connection reads the types from the endpoint's pg_catalog.</summary>
    public string ConnectionString(bool prepare) =>
        $"Host=127.0.0.1;Port={Port};Username=tarn;Database=tarn;Pooling=false;Timeout=10;Command Timeout=30"
        + (prepare ? ";Max Auto Prepare=10;Auto Prepare Min Usages=1" : "");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
