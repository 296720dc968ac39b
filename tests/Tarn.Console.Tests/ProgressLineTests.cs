namespace Tarn.Console.Tests;

/// <summary>The progress line a long file load draws on the terminal's error stream (ProgressLine.cs).</summary>
public sealed class ProgressLineTests : IDisposable
{
    private readonly ConsoleHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_file_scan_draws_percentages_and_erases_the_line_when_done()
    {
        // larger than the csv reader's 1 MB buffer, so the first batch is reported before the end of the file
        var file = _harness.WriteFile("big.csv", string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i},row number {i}\n")));
        await using var db = await TarnDatabase.OpenAsync(_harness.DatabasePath);
        await db.ExecuteAsync($"CREATE TABLE src (v INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        var error = new StringWriter();
        using (ProgressLine.Attach(db.DefaultSession, error, enabled: true, delay: TimeSpan.Zero))
            Assert.Equal([200_000L], await db.QueryAsync<long>("SELECT count(*) FROM src"));
        var text = error.ToString();
        Assert.Matches(@"^\r\[#*-*\] +\d+% [\d.]+ [KM]?B of [\d.]+ MB ", text);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
        Assert.DoesNotContain("100%", text, StringComparison.Ordinal);

        // disabled (stderr is not a terminal) or a quick statement: nothing is written
        var quiet = new StringWriter();
        using (ProgressLine.Attach(db.DefaultSession, quiet, enabled: false)) await db.ExecuteAsync("SELECT count(*) FROM src");
        using (ProgressLine.Attach(db.DefaultSession, quiet, enabled: true, delay: TimeSpan.FromHours(1))) await db.ExecuteAsync("SELECT count(*) FROM src");
        Assert.Equal("", quiet.ToString());
    }
}
