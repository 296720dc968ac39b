namespace Tarn.Server.Hosting;

/// <summary>The endpoints a server process serves; a label of connection and query metrics.</summary>
public enum ServerProtocol
{
    PgWire,
    Kafka,
    Http,
}

internal static class ServerProtocols
{
    public static readonly ServerProtocol[] All = [ServerProtocol.PgWire, ServerProtocol.Kafka, ServerProtocol.Http];

    public static string Name(ServerProtocol protocol) => protocol switch
    {
        ServerProtocol.PgWire => "pgwire",
        ServerProtocol.Kafka => "kafka",
        _ => "http",
    };
}
