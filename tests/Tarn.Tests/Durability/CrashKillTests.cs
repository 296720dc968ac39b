using System.Diagnostics;
using System.Globalization;
using System.Text;

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
    public void Acknowledged_batches_survive_SIGKILL_exactly_once_and_atomically()
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
                var lines = new List<string>();
                using var ready = new ManualResetEventSlim();
                using var firstAck = new ManualResetEventSlim();
                var stdout = new Thread(() =>
                {
                    while (process.StandardOutput.ReadLine() is { } line)
                    {
                        lock (lines) lines.Add(line);
                        if (line == "READY") ready.Set();
                        if (line.StartsWith("ACK ", StringComparison.Ordinal)) firstAck.Set();
                    }
                }) { IsBackground = true };
                stdout.Start();
                var stderr = new StringBuilder();
                var errThread = new Thread(() => { while (process.StandardError.ReadLine() is { } l) lock (stderr) stderr.AppendLine(l); }) { IsBackground = true };
                errThread.Start();
                if (!ready.Wait(TimeSpan.FromSeconds(60)))
                {
                    process.Kill();
                    Assert.Fail($"round {round}: worker did not start: {stderr}");
                }
                // Kill at a random moment after the round made progress (on a loaded machine a fixed delay could
                // kill every round before its first commit and the test would prove nothing).
                firstAck.Wait(TimeSpan.FromSeconds(60));
                Thread.Sleep(random.Next(0, 300));
                process.Kill(); // SIGKILL on Unix
                process.WaitForExit();
                stdout.Join();
                errThread.Join();

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
                var result = db.Execute("SELECT batch, count(*), min(size), max(size), sum(n) FROM t GROUP BY batch");
                var present = new Dictionary<long, long>();
                foreach (var row in result.Rows)
                {
                    var batch = (long)row[0]!;
                    var count = (long)row[1]!;
                    var size = (int)row[2]!;
                    Assert.Equal(size, (int)row[3]!);
                    Assert.True(count == size, $"round {round}: batch {batch} is partially visible ({count} of {size} rows)");
                    Assert.Equal((long)size * (size - 1) / 2, (long)row[4]!); // rows 0..size-1, each once
                    present[batch] = count;
                }
                foreach (var (batch, size) in acked)
                    Assert.True(present.TryGetValue(batch, out var n) && n == size, $"round {round}: acknowledged batch {batch} ({size} rows) is missing");
                nextBatch = present.Count == 0 ? 0 : present.Keys.Max() + 1;
                nextBatch = Math.Max(nextBatch, acked.Count == 0 ? 0 : acked.Keys.Max() + 1);
            }
            Assert.True(acked.Count >= Kills / 2, $"the workload acknowledged only {acked.Count} batches");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
