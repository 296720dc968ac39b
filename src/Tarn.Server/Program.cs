using Tarn.Server.Hosting;

namespace Tarn.Server;

/// <summary>tarn-server [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT] [...]: the server alone; the same as <c>tarn serve</c> except that Kafka is off unless asked for (see <see cref="ServerCommand"/>).</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) =>
        ServerCommand.RunAsync(args, Console.Out, Console.Error, commandName: "tarn-server", kafkaByDefault: false);
}
