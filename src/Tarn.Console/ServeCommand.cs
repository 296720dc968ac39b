using Tarn.Server.Hosting;

namespace Tarn.Console;

/// <summary>
/// <c>tarn serve [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT] [--http HOST:PORT] [--config FILE] ...</c>: runs the
/// server process in the console (the same entry as <c>tarn-server</c>, with Kafka on by default); see
/// <see cref="ServerCommand"/>.
/// </summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public static Task<int> RunAsync(IReadOnlyList<string> args, ConsoleIo io) =>
        ServerCommand.RunAsync(args, io.Out, io.Error, commandName: "tarn serve", kafkaByDefault: true);
}
