using System.Diagnostics;
using System.Globalization;

namespace Tarn.Tests.Durability;

/// <summary>
/// Kills a writing child process with SIGKILL at random moments, reopens the database and checks the oracle
/// (RocksDB's "no hole", Flink's lost = duplicates = 0): every acknowledged batch is present exactly once, no batch is
/// partially visible, and the database always opens.
/// </summary>
public class CrashKillTests
{
    private const int Kills = 100;

    [Fact]
    [Trait("Spec", "LOG-004")]
    [Trait("Spec", "LOG-010")]
    [Trait("Spec", "LOG-003")]
    public async Task Acknowledged_batches_survive_SIGKILL_exactly_once_and_atomically()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tarn-crash-" + Guid.NewGuid().ToString("N")[..10]);
        var worker = Path.Combine(AppContext.BaseDirectory, "Tarn.CrashWorker.dll");
        Assert.True(File.Exists(worker), $"missing {worker}");
        var random = new Random(12345);
        var acked = new Dictionary<long, int>();
        long nextBatch = 0;
        try
        {
            for (var round = 0; round < Kills; round++)
            {
                var psi = new ProcessStartInfo("dotnet", [worker, dir, round.ToString(CultureInfo.InvariantCulture), nextBatch.ToString(CultureInfo.InvariantCulture)])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var process = Process.Start(psi)!;
                var ready = new TaskCompletionSource();
                var lines = new List<string>();
                process.OutputDataReceived += (_, e) =>
                {
                    if (e.Data is null) return;
                    lock (lines) lines.Add(e.Data);
                    if (e.Data == "READY") ready.TrySetResult();
                };
                var stderr = process.StandardError.ReadToEndAsync();
                process.BeginOutputReadLine();
                var started = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(30_000));
                Assert.True(ready.Task.IsCompleted, $"round {round}: worker did not start: {await stderr}");
                await Task.Delay(random.Next(20, 400));
                process.Kill(); // SIGKILL on Unix
                await process.WaitForExitAsync();
                process.WaitForExit(); // flush the output events

                lock (lines)
                {
                    foreach (var line in lines)
                    {
                        if (!line.StartsWith("ACK ", StringComparison.Ordinal)) continue;
                        var parts = line.Split(' ');
                        acked[long.Parse(parts[1], CultureInfo.InvariantCulture)] = int.Parse(parts[2], CultureInfo.InvariantCulture);
                    }
                }

                using var db = TarnDatabase.Open(dir);
                var result = db.Execute("SELECT batch, count(*), min(size), max(size), count(DISTINCT n) FROM t GROUP BY batch");
                var present = new Dictionary<long, long>();
                foreach (var row in result.Rows)
                {
                    var batch = (long)row[0]!;
                    var count = (long)row[1]!;
                    var size = (int)row[2]!;
                    Assert.Equal(size, (int)row[3]!);
                    Assert.True(count == size, $"round {round}: batch {batch} is partially visible ({count} of {size} rows)");
                    Assert.Equal(count, (long)row[4]!); // no duplicate rows inside a batch
                    present[batch] = count;
                }
                foreach (var (batch, size) in acked)
                    Assert.True(present.TryGetValue(batch, out var n) && n == size, $"round {round}: acknowledged batch {batch} ({size} rows) is missing");
                nextBatch = present.Count == 0 ? 0 : present.Keys.Max() + 1;
                nextBatch = Math.Max(nextBatch, acked.Count == 0 ? 0 : acked.Keys.Max() + 1);
            }
            Assert.True(acked.Count > Kills, $"the workload acknowledged only {acked.Count} batches");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
