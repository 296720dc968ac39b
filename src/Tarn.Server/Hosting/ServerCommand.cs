using System.Runtime.InteropServices;
using System.Text;

namespace Tarn.Server.Hosting;

/// <summary>
/// The one entry of the server process, shared by <c>tarn serve</c> (the console) and <c>tarn-server</c>: parses the
/// command line and the <c>--config</c> file, starts a <see cref="ServerHost"/>, and on SIGTERM or SIGINT runs its
/// graceful shutdown (a second signal hurries it: no more waiting for requests or jobs). Exit status: 0 after a clean
/// shutdown, 1 when the database cannot be opened or a listener cannot start, 2 for a bad command line or config file.
/// </summary>
public static class ServerCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr,
        string commandName = "tarn serve", bool kafkaByDefault = true, CancellationToken stop = default)
    {
        ServerSettings settings;
        try
        {
            settings = Parse(args, kafkaByDefault, out var help);
            if (help)
            {
                await stdout.WriteAsync(Help(commandName, kafkaByDefault)).ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            }
        }
        catch (ServerConfigException e)
        {
            await stderr.WriteAsync($"{commandName}: {e.Message}\n{Usage(commandName)}Try '{commandName} --help' for more information.\n").ConfigureAwait(false);
            return 2;
        }

        var log = new ServerLog(stderr, settings.LogFormat, settings.LogLevel);
        var shutdown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hurry = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // the shutdown below ends the process
            var name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";
            if (shutdown.TrySetResult(name)) return;
            log.Warn("shutdown", ("phase", "hurried"), ("signal", name));
            hurry.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        await using var stopped = stop.Register(() => shutdown.TrySetResult("stopped"));

        ServerHost host;
        try
        {
            host = await ServerHost.StartAsync(settings, log).ConfigureAwait(false);
        }
        catch (TarnException e)
        {
            log.Error("start_failed", ("sqlstate", e.SqlState), ("message", e.Message));
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            log.Error("start_failed", ("error", e.GetType().Name), ("message", e.Message));
            return 1;
        }

        var reason = await shutdown.Task.ConfigureAwait(false);
        try
        {
            await host.ShutdownAsync(reason, hurry.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TarnException or IOException or InvalidOperationException)
        {
            return 1; // logged by the host
        }
        return 0;
    }

    /// <summary>Config file first, then the flags over it; DB_DIR is the one positional argument.</summary>
    public static ServerSettings Parse(IReadOnlyList<string> args, bool kafkaByDefault, out bool help)
    {
        help = false;
        string? directory = null;
        string? config = null;
        var flags = new List<(string Key, string Value)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) && arg != "-h")
            {
                if (directory is not null) throw new ServerConfigException($"unexpected argument '{arg}' (the database directory is already '{directory}')");
                directory = arg;
                continue;
            }
            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg : arg[..eq];
            string Value()
            {
                if (eq >= 0) return arg[(eq + 1)..];
                if (i + 1 >= args.Count) throw new ServerConfigException($"option '{name}' needs a value");
                return args[++i];
            }
            if (name == "--config")
            {
                config = Value();
                continue;
            }
            var key = name[2..].Replace('-', '_');
            if (key == "database" || !ServerSettings.Keys.ContainsKey(key)) throw new ServerConfigException($"unknown option '{name}'");
            flags.Add((key, Value()));
        }

        var settings = new ServerSettings();
        if (!kafkaByDefault) settings.Kafka = null;
        if (help) return settings;
        if (config is not null) ServerConfigFile.Load(config, settings);
        var workingDirectory = Directory.GetCurrentDirectory();
        foreach (var (key, value) in flags)
        {
            try
            {
                ServerSettings.Keys[key].Apply(settings, value, workingDirectory);
            }
            catch (FormatException e)
            {
                throw new ServerConfigException($"--{key.Replace('_', '-')}: {e.Message}");
            }
        }
        if (directory is not null) settings.DatabasePath = Path.GetFullPath(directory);
        RequireLoopback(settings);
        return settings;
    }

    /// <summary>
    /// The HTTP endpoint has no authentication and runs SQL, so it stays on loopback. The PostgreSQL and Kafka endpoints
    /// may listen anywhere once the database has users: <see cref="TarnServer"/> refuses a non-loopback listener before
    /// that (Security/ServerSecurity.CheckListenAddress), since without users every client is trusted.
    /// </summary>
    private static void RequireLoopback(ServerSettings settings)
    {
        if (settings.Http is { } endpoint && !System.Net.IPAddress.IsLoopback(endpoint.Address))
            throw new ServerConfigException($"http: {endpoint} is not a loopback address; the HTTP endpoint has no authentication and serves loopback clients only");
    }

    public static string Usage(string commandName) =>
        $"Usage: {commandName} [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT] [--http HOST:PORT] [--config FILE] [OPTIONS]\n";

    public static string Help(string commandName, bool kafkaByDefault)
    {
        var text = new StringBuilder(Usage(commandName));
        text.Append($"""

            Serves the Tarn database in DB_DIR (default: {TarnDatabase.DefaultPath}) over the PostgreSQL
            wire protocol and the Kafka protocol, and runs its streaming jobs, until SIGTERM or Ctrl-C.
            Events are logged one per line on stderr (logfmt, or JSON with --log-format json).

            Options (each is also a key of the config file, with '_' for '-'):
              --config FILE                read settings from FILE: one 'key = value' per line, '#' comments;
                                           the command line overrides the file

            """);
        foreach (var (key, (help, _)) in ServerSettings.Keys)
        {
            if (key == "database") continue;
            var line = key == "kafka" && !kafkaByDefault ? help.Replace("(default 127.0.0.1:9092)", "(default off)", StringComparison.Ordinal) : help;
            var split = line.IndexOf(' ', StringComparison.Ordinal);
            text.Append($"  --{key.Replace('_', '-')} {line[..split]}".PadRight(31)).Append(line[(split + 1)..].TrimStart()).Append('\n');
        }
        text.Append("""
              -h, --help                   show this help

            On SIGTERM or SIGINT the server stops accepting clients (GET /ready answers 503), lets requests in
            flight finish within shutdown_grace, closes the connections, lets the streaming jobs catch up within
            jobs_grace, writes a manifest and exits 0. A second signal skips the waiting. Nothing acknowledged to a
            client is lost; jobs resume from their last commit when the database opens again.

            Exit status: 0 after a clean shutdown, 1 when the database or a listener cannot start, 2 for a bad
            command line or config file.

            """);
        return text.ToString();
    }
}
