using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Tarn.Console.Tests;

/// <summary><c>tarn serve</c>: its help and usage errors in-process, and the server run as a child process.</summary>
public class ServeTests
{
    [Fact]
    public void Serve_help_goes_to_stdout_and_lists_every_setting()
    {
        var run = ConsoleHarness.RunRaw("", "serve", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: tarn serve [DB_DIR] [--pg HOST:PORT] [--kafka HOST:PORT] [--http HOST:PORT] [--config FILE]", run.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--config", "--max-connections", "--max-message-bytes", "--idle-timeout", "--query-timeout", "--tls-cert", "--tls-key", "--log-format", "--shutdown-grace" })
            Assert.Contains(option, run.Out);
        Assert.Contains("(default 127.0.0.1:9092)", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Tarn_help_mentions_serve()
    {
        var run = ConsoleHarness.RunRaw("", "--help");
        Assert.Contains("tarn serve [DB_DIR]", run.Out);
    }

    [Fact]
    public void A_bad_serve_option_exits_2()
    {
        var run = ConsoleHarness.RunRaw("", "serve", "--log-format", "xml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tarn serve: --log-format: expected logfmt or json, got 'xml'", run.Error);
        Assert.Contains("Try 'tarn serve --help'", run.Error);
    }

    [Fact]
    public async Task Serve_runs_until_sigterm_logging_json_lines_and_exits_0()
    {
        using var harness = new ConsoleHarness();
        var tarn = Path.Combine(AppContext.BaseDirectory, "Tarn.Console.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { tarn, "serve", harness.DatabasePath, "--pg", "127.0.0.1:0", "--kafka", "127.0.0.1:0", "--http", "127.0.0.1:0", "--log-format", "json" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try
        {
            var log = new StringBuilder();
            var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) { ready.TrySetException(new InvalidOperationException("tarn serve ended: " + log)); return; }
                lock (log) log.Append(e.Data).Append('\n');
                using var json = JsonDocument.Parse(e.Data); // every line is one JSON object
                var root = json.RootElement;
                if (root.GetProperty("event").GetString() == "listener_started" && root.GetProperty("protocol").GetString() == "http")
                    ready.TrySetResult(int.Parse(root.GetProperty("address").GetString()!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            };
            process.BeginErrorReadLine();
            var port = await ready.Task.WaitAsync(TimeSpan.FromMinutes(2)); // a guard against a hung child

            using (var http = new HttpClient())
                Assert.Equal("ok\n", await http.GetStringAsync($"http://127.0.0.1:{port}/health"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
                await process.WaitForExitAsync(guard.Token);
            process.WaitForExit();

            string text;
            lock (log) text = log.ToString();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; log:\n{text}");
            Assert.Contains("\"event\":\"shutdown\",\"phase\":\"closed\"", text);
            Assert.Contains("\"reason\":\"SIGTERM\"", text);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
