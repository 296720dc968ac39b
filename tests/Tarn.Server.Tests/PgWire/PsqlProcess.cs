using System.Diagnostics;
using System.Globalization;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Runs the real psql (/usr/bin/psql) against the endpoint: no psqlrc, stop on the first error.</summary>
internal static class PsqlProcess
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(int port, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/psql")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in (string[])["-X", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "tarn", "-d", "tarn", "-v", "ON_ERROR_STOP=1"]) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["PGSSLMODE"] = "prefer";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
