using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Tarn.Server.Tests.Hosting;

/// <summary>
/// The built server (Tarn.Server.dll, i.e. tarn-server, the same entry as tarn serve) started as a child process on
/// free ports; its stderr log is collected, and the ports are read from its listener_started events.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);

    private ServerProcess(Process process) => _process = process;

    public static async Task<ServerProcess> StartAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Tarn.Server.dll");
        Assert.True(File.Exists(dll), $"Tarn.Server.dll not found next to the tests: {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var server = new ServerProcess(Process.Start(start)!);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.OutputDataReceived += (_, _) => { };
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hung child, not a timing assertion
        try
        {
            await server._ready.Task.WaitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            server.Dispose();
            throw new InvalidOperationException("the server did not become ready: " + server.Log);
        }
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _ready.TrySetException(new InvalidOperationException("the server ended before it was ready: " + Log));
            return;
        }
        lock (_log) _log.Append(line).Append('\n');
        var started = ListenerLine().Match(line);
        if (started.Success) lock (_ports) _ports[started.Groups[1].Value] = int.Parse(started.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (line.Contains("event=ready", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public int Port(string protocol)
    {
        lock (_ports) return _ports[protocol];
    }

    public int Id => _process.Id;

    /// <summary>Sends SIGTERM through kill(1), as a service manager would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit (a guard against a hung child, generous for a loaded machine) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("the server did not exit after SIGTERM: " + Log);
        }
        _process.WaitForExit(); // drains the redirected stderr
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"event=listener_started protocol=(\w+) address=[0-9.]+:(\d+)")]
    private static partial Regex ListenerLine();
}
