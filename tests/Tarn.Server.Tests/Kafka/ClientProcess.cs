using System.Diagnostics;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Runs a real client (kcat, /usr/bin/python3 with kafka-python) as a child process with a hard timeout.</summary>
internal static class ClientProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeoutSeconds} s\nstdout: {await stdout}\nstderr: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and requires exit code 0.</summary>
    public static async Task<string> RunOkAsync(string fileName, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 60)
    {
        var result = await RunAsync(fileName, args, stdin, timeoutSeconds);
        Assert.True(result.ExitCode == 0, $"{fileName} exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        return result.Stdout;
    }
}
