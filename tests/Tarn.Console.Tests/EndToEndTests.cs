using System.Diagnostics;

namespace Tarn.Console.Tests;

/// <summary>The built tarn executable started as a child process, as a user would run it.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task Runs_c_with_csv_output_in_a_child_process()
    {
        using var harness = new ConsoleHarness();
        var tarn = Path.Combine(AppContext.BaseDirectory, "Tarn.Console.dll");
        Assert.True(File.Exists(tarn), $"Tarn.Console.dll not found next to the tests: {tarn}");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     tarn, harness.DatabasePath, "--format", "csv",
                     "-c", "CREATE TABLE e (x INT); INSERT INTO e VALUES (2), (1); SELECT x, 'a,b' AS y FROM e ORDER BY x",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            // A guard against a hung child, not a timing assertion.
            try { await process.WaitForExitAsync(guard.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {await stderr}");
        Assert.Equal("x,y\n1,\"a,b\"\n2,\"a,b\"\n", stdout);
    }
}
