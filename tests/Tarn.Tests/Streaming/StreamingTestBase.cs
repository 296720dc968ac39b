namespace Tarn.Tests.Streaming;

/// <summary>What the streaming tests share: a database directory of their own, the runtime-mode switches and results as sorted text.</summary>
public abstract class StreamingTestBase : IDisposable
{
    /// <summary>A fresh directory for this test's databases (deleted afterwards).</summary>
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "tarn-stream-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    /// <summary>Rows as "a|b|c" lines in ordinal order (NULL for nulls), for comparing results as multisets.</summary>
    protected static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));

    protected static void Streaming(TarnDatabase db) => db.Execute("SET 'execution.runtime-mode' = 'streaming'");

    protected static void Batch(TarnDatabase db) => db.Execute("SET 'execution.runtime-mode' = 'batch'");
}
