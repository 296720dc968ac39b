using System.Globalization;

namespace Tarn.CrashWorker;

/// <summary>
/// The child process of the crash tests: appends batches to a table until it is killed, printing
/// <c>ACK batch rows</c> after each commit is acknowledged. Every row carries its batch number and the batch's size,
/// so the parent can check after a restart that each acknowledged batch is there exactly once and that no batch
/// is partially visible. Usage: <c>Tarn.CrashWorker DB_DIR SEED FIRST_BATCH</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args[0] == "job") return await JobWorker.RunAsync(args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
        var dir = args[0];
        var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
        var batch = long.Parse(args[2], CultureInfo.InvariantCulture);
        var options = new TarnOptions
        {
            Storage = new Storage.Engine.StorageOptions { FlushInterval = TimeSpan.FromMilliseconds(50), FlushInlineParts = 8, CompactionMinFiles = 3, CheckpointLogBytes = 256 << 10 },
        };
        TarnDatabase db;
        try
        {
            db = TarnDatabase.Open(dir, options);
        }
        catch (TarnException e)
        {
            Console.Error.WriteLine($"{e.SqlState}: {e.Message}");
            return 3;
        }
        using var _ = db;
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS t (batch BIGINT, n INT, size INT, part INT, payload STRING) PARTITIONED BY (part)");
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        while (true)
        {
            var large = random.Next(25) == 0;
            var size = large ? 16_500 + random.Next(100) : 1 + random.Next(60);
            var part = (int)(batch % 3);
            if (large)
            {
                using var appender = db.CreateAppender("t", chunkRows: 1 << 20);
                for (var i = 0; i < size; i++) appender.Append(batch).Append(i).Append(size).Append(part).Append("p" + i).EndRow();
                appender.Flush();
            }
            else
            {
                var values = string.Join(", ", Enumerable.Range(0, size).Select(i => $"({batch}, {i}, {size}, {part}, 'p{i}')"));
                await db.ExecuteAsync($"INSERT INTO t VALUES {values}");
            }
            Console.Out.WriteLine($"ACK {batch} {size}");
            Console.Out.Flush();
            batch++;
        }
    }
}
