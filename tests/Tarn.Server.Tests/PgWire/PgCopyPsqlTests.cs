using System.Diagnostics;
using System.Globalization;

namespace Tarn.Server.Tests.PgWire;

/// <summary>psql's \copy (COPY ... FROM STDIN / TO STDOUT fed from and to local files).</summary>
public sealed class PgCopyPsqlTests
{
    [Fact]
    public async Task BackslashCopyFromAndToCsvFiles()
    {
        await using var server = new PgServerFixture();
        var directory = Directory.CreateTempSubdirectory("tarn-copy-");
        try
        {
            var input = Path.Combine(directory.FullName, "in.csv");
            var output = Path.Combine(directory.FullName, "out.csv");
            await File.WriteAllTextAsync(input, "id,name,price\n1,apple,1.50\n2,\"pear, green\",\n3,\"say \"\"hi\"\"\",2\n");
            var (exit, stdout, stderr) = await PsqlAsync(server.Port,
                "-c", "CREATE TABLE fruit (id INT, name STRING, price DECIMAL(6, 2))",
                "-c", $"\\copy fruit FROM '{input}' CSV HEADER",
                "-c", $"\\copy (SELECT * FROM fruit ORDER BY id) TO '{output}' WITH (FORMAT csv, HEADER)",
                "-c", "SELECT count(*), sum(price) FROM fruit");
            Assert.True(exit == 0, stderr);
            Assert.Contains("COPY 3", stdout, StringComparison.Ordinal);
            Assert.Contains("3|3.50", stdout, StringComparison.Ordinal);
            Assert.Equal("id,name,price\n1,apple,1.50\n2,\"pear, green\",\n3,\"say \"\"hi\"\"\",2.00\n", await File.ReadAllTextAsync(output));

            await File.WriteAllTextAsync(input, "4,kiwi,1\n5,bad,notanumber\n");
            (exit, _, stderr) = await PsqlAsync(server.Port, "-c", $"\\copy fruit FROM '{input}' WITH (FORMAT csv)");
            Assert.NotEqual(0, exit);
            Assert.Contains("invalid input syntax for type numeric: \"notanumber\"", stderr, StringComparison.Ordinal);
            Assert.Contains("line 2", stderr, StringComparison.Ordinal);
            (exit, stdout, stderr) = await PsqlAsync(server.Port, "-c", "SELECT count(*) FROM fruit");
            Assert.True(exit == 0, stderr);
            Assert.Equal("3", stdout.Trim());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> PsqlAsync(int port, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/psql") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])["-X", "-A", "-t", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "tarn", "-d", "tarn", "-v", "ON_ERROR_STOP=1"]) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
