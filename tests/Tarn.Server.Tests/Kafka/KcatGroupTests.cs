using System.Diagnostics;
using static Tarn.Server.Tests.Kafka.GroupTestSupport;

namespace Tarn.Server.Tests.Kafka;

/// <summary>kcat 1.7.1 (librdkafka 2.0.2) as a balanced consumer: <c>kcat -G group topic</c> commits on exit and the next run resumes.</summary>
public sealed class KcatGroupTests
{
    private static async Task<(int Exit, string Output, string Error)> KcatAsync(string bootstrap, string group, string topic)
    {
        var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-b", bootstrap, "-G", group, "-X", "auto.offset.reset=earliest", "-e", "-f", "%p %o %s\\n", topic]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static List<long> Ids(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l[(l.IndexOf('{', StringComparison.Ordinal))..]).RootElement.GetProperty("id").GetInt64())
            .Order().ToList();

    [Fact]
    public async Task Kcat_group_consumer_reads_everything_then_only_what_came_after_its_commit()
    {
        await using var server = new RestartableKafkaServer();
        server.Start();
        await server.Database!.ExecuteAsync("CREATE TABLE k (id BIGINT, v STRING) WITH ('bucket' = '3', 'bucket-key' = 'id')");
        var first = await InsertSpreadAsync(server.Database, "k", buckets: 3, perBucket: 2, firstId: 1);
        var (exit, output, error) = await KcatAsync(server.Bootstrap, "kc", "k");
        Assert.True(exit == 0, error);
        Assert.Equal(first, Ids(output));

        var second = await InsertSpreadAsync(server.Database, "k", buckets: 3, perBucket: 1, firstId: 100);
        (exit, output, error) = await KcatAsync(server.Bootstrap, "kc", "k");
        Assert.True(exit == 0, error);
        Assert.Equal(second, Ids(output));
    }
}
