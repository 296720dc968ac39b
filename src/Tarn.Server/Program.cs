using System.Net;
using Tarn.Server.Hosting;
using Tarn.Server.PgWire;

namespace Tarn.Server;

/// <summary>tarn-server [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT]: serves a database over the PostgreSQL wire protocol and, when asked, the Kafka protocol (beyond loopback only once the database has users).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        string? directory = null;
        var pg = new IPEndPoint(IPAddress.Loopback, 5432);
        IPEndPoint? kafka = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--pg" && i + 1 < args.Length)
            {
                if (!IPEndPoint.TryParse(args[++i], out var parsed))
                {
                    Console.Error.WriteLine($"tarn-server: --pg wants HOST:PORT such as 127.0.0.1:5432, not '{args[i]}'");
                    return 2;
                }
                pg = parsed;
            }
            else if (args[i] == "--kafka" && i + 1 < args.Length)
            {
                if (!IPEndPoint.TryParse(args[++i], out var parsed))
                {
                    Console.Error.WriteLine($"tarn-server: --kafka wants HOST:PORT such as 127.0.0.1:9092, not '{args[i]}'");
                    return 2;
                }
                kafka = parsed;
            }
            else if (directory is null && !args[i].StartsWith("--", StringComparison.Ordinal)) directory = args[i];
            else
            {
                Console.Error.WriteLine("usage: tarn-server [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT]");
                return 2;
            }
        }
        await using var server = new TarnServer(TarnDatabase.Open(directory ?? TarnDatabase.DefaultPath));
        PgListener listener;
        try
        {
            listener = server.StartPgWire(pg); // beyond loopback only once users exist (ServerSecurity.CheckListenAddress)
            if (kafka is not null) Console.Error.WriteLine($"tarn-server: Kafka protocol on {server.StartKafka(kafka).LocalEndPoint}");
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine("tarn-server: " + e.Message);
            return 2;
        }
        Console.Error.WriteLine($"tarn-server: {server.Database.Path}, PostgreSQL protocol on {listener.EndPoint}");
        var stopped = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
        await stopped.Task;
        return 0;
    }
}
