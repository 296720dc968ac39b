using System.Diagnostics;
using System.Globalization;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Runs the real psql (/usr/bin/psql) against the endpoint: no psqlrc, stop on the first error.</summary>
internal static class PsqlProcess
{
    /// <summary>As user <c>tarn</c> without a password (trust), PGSSLMODE=prefer.</summary>
    public static Task<(int Exit, string Output, string Error)> RunAsync(int port, params string[] args) =>
        RunAsAsync(port, "tarn", password: null, sslMode: "prefer", args);

    /// <summary>As <paramref name="user"/>, with PGPASSWORD when <paramref name="password"/> is given; never prompts (-w).</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsAsync(int port, string user, string? password, string sslMode, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/psql")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in (string[])["-X", "-w", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user, "-d", "tarn", "-v", "ON_ERROR_STOP=1"]) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (password is not null) start.Environment["PGPASSWORD"] = password;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["PGSSLMODE"] = sslMode;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
