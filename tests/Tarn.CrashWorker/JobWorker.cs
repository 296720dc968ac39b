using System.Globalization;

namespace Tarn.CrashWorker;

/// <summary>
/// The child process of the streaming-job crash test: opens the database (its recorded jobs resume in the background)
/// and keeps appending rows to <c>src</c>, numbered from FIRST_SEQ, printing <c>ACK last_seq</c> after each commit,
/// until it is killed. Usage: <c>Tarn.CrashWorker job DB_DIR FIRST_SEQ</c>.
/// </summary>
internal static class JobWorker
{
    public static async Task<int> RunAsync(string dir, long seq)
    {
        TarnDatabase db;
        try
        {
            db = TarnDatabase.Open(dir);
        }
        catch (TarnException e)
        {
            Console.Error.WriteLine($"{e.SqlState}: {e.Message}");
            return 3;
        }
        using var _ = db;
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        while (true)
        {
            var rows = string.Join(", ", Enumerable.Range(0, 50).Select(i =>
            {
                var s = seq + i;
                return string.Create(CultureInfo.InvariantCulture, $"({s}, {s % 7}, {s * 3 % 101})");
            }));
            await db.ExecuteAsync($"INSERT INTO src VALUES {rows}");
            seq += 50;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {seq}"));
            Console.Out.Flush();
        }
    }
}
