using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tarn.Tests.Durability;

/// <summary>One round of the job crash tests: run the crash worker's <c>job</c> mode, let it work, SIGKILL it.</summary>
internal static class JobWorkerKiller
{
    /// <summary>
    /// Starts the worker on <paramref name="database"/>, inserting sequence numbers from <paramref name="nextSeq"/>
    /// while its jobs run; once it acknowledged a first insert, waits a random <paramref name="minMs"/>..<paramref name="maxMs"/>
    /// ms and kills it (SIGKILL on Unix). Returns the last acknowledged sequence number (at least <paramref name="nextSeq"/>).
    /// </summary>
    public static long RunAndKill(string worker, string database, long nextSeq, Random random, int minMs, int maxMs, int round)
    {
        var psi = new ProcessStartInfo("dotnet", [worker, "job", database, nextSeq.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var lastAck = nextSeq;
        using var firstAck = new ManualResetEventSlim();
        var stdout = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (!line.StartsWith("ACK ", StringComparison.Ordinal)) continue;
                Interlocked.Exchange(ref lastAck, long.Parse(line[4..], CultureInfo.InvariantCulture));
                firstAck.Set();
            }
        }) { IsBackground = true };
        stdout.Start();
        var stderr = new StringBuilder();
        var errThread = new Thread(() => { while (process.StandardError.ReadLine() is { } l) lock (stderr) stderr.AppendLine(l); }) { IsBackground = true };
        errThread.Start();
        if (!firstAck.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail($"round {round}: worker made no progress: {stderr}");
        }
        Thread.Sleep(random.Next(minMs, maxMs));
        process.Kill(); // SIGKILL on Unix
        process.WaitForExit();
        stdout.Join();
        errThread.Join();
        return Interlocked.Read(ref lastAck);
    }
}
