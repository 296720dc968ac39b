using Tarn.Console.Interactive;

namespace Tarn.Console.Tests;

public class ReplHistoryTests
{
    [Fact]
    public void Entries_survive_a_restart_including_backslashes_and_newlines()
    {
        using var harness = new ConsoleHarness();
        var path = Path.Combine(harness.Root, ReplHistory.FileName);
        var first = new ReplHistory(path);
        first.Add("SELECT 'a\\nb', 'real\nnewline';");
        first.Add("SELECT 2;");
        first.Add("SELECT 2;");

        var second = new ReplHistory(path);

        Assert.Equal(2, second.Count);
        Assert.Equal("SELECT 'a\\nb', 'real\nnewline';", second[0]);
        Assert.Equal("SELECT 2;", second[1]);
    }

    [Fact]
    public void Keeps_the_newest_entries_and_compacts_the_file()
    {
        using var harness = new ConsoleHarness();
        var path = Path.Combine(harness.Root, ReplHistory.FileName);
        File.WriteAllLines(path, Enumerable.Range(0, 2 * ReplHistory.MaxEntries + 5).Select(i => $"SELECT {i};"));

        var history = new ReplHistory(path);

        Assert.Equal(ReplHistory.MaxEntries, history.Count);
        Assert.Equal($"SELECT {2 * ReplHistory.MaxEntries + 4};", history[history.Count - 1]);
        Assert.Equal(ReplHistory.MaxEntries, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void History_lives_next_to_the_database_directory()
    {
        Assert.Equal(Path.Combine("/data/tarn", ".tarn_history"), ReplHistory.PathFor("/data/tarn/default/"));
    }
}
