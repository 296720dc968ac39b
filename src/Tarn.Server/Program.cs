namespace Tarn.Server;

/// <summary>
/// The single-binary server (PostgreSQL wire protocol and Kafka protocol) is the subject of a later issue; until it
/// lands, this entry point says so instead of pretending to serve.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("tarn-server: the server is not available in this version of Tarn; use the embedded API or the tarn console.");
        return 2;
    }
}
