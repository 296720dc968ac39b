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

    private static Task<(int Exit, string Output, string Error)> PsqlAsync(int port, params string[] args) =>
        PsqlProcess.RunAsync(port, ["-A", "-t", .. args]);
}
