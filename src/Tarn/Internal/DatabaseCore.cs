using Tarn.Catalog;
using Tarn.Storage.Engine;

namespace Tarn.Internal;

/// <summary>
/// The shared engine behind every <see cref="TarnDatabase"/> and <see cref="Data.TarnConnection"/> opened on one
/// directory in this process: storage, catalog and (later) jobs. Reference counted by <see cref="DatabaseRegistry"/>.
/// </summary>
internal sealed class DatabaseCore : IDisposable
{
    public DatabaseCore(string path, TarnOptions options)
    {
        Path = path;
        Options = options;
        Storage = StorageEngine.Open(path, options.Storage);
        try
        {
            Catalog = new CatalogManager(Storage);
            RemoveSpillFiles();
            Jobs = new Streaming.JobManager(this);
        }
        catch
        {
            Storage.Dispose();
            throw;
        }
    }

    private readonly CancellationTokenSource _closing = new();

    /// <summary>Cancelled when the database closes, first thing (ends the subscriptions: TarnSubscription).</summary>
    public CancellationToken Closing => _closing.Token;

    public string Path { get; }
    public TarnOptions Options { get; }
    public StorageEngine Storage { get; }
    public CatalogManager Catalog { get; }

    /// <summary>The streaming jobs running in this process (started by <see cref="DatabaseRegistry"/> once the core is shared).</summary>
    public Streaming.JobManager Jobs { get; }

    /// <summary>Optimized plans of repeated queries (see <see cref="PlanCache"/>).</summary>
    public PlanCache Plans { get; } = new();

    /// <summary>Where queries spill (<c>&lt;database&gt;/tmp</c>); anything in it belongs to a query that is running.</summary>
    public string TempDirectory => System.IO.Path.Combine(Path, "tmp");

    /// <summary>Spill files left by a process that ended while a query was spilling (the lock is held, so none is running).</summary>
    private void RemoveSpillFiles()
    {
        try
        {
            if (Directory.Exists(TempDirectory)) Directory.Delete(TempDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // leftovers only waste space; the next open tries again
        }
    }

    private readonly HashSet<SessionTransaction> _transactions = [];

    /// <summary>Remembers an open transaction, so closing the database rolls it back (deleting its staged files).</summary>
    public void Track(SessionTransaction transaction)
    {
        lock (_transactions) _transactions.Add(transaction);
    }

    public void Untrack(SessionTransaction transaction)
    {
        lock (_transactions) _transactions.Remove(transaction);
    }

    public void Dispose()
    {
        List<SessionTransaction> open;
        lock (_transactions)
        {
            open = [.. _transactions];
            _transactions.Clear();
        }
        foreach (var t in open) t.Rollback();
        _closing.Cancel();
        Jobs.Dispose();
        Storage.Dispose();
    }
}

/// <summary>
/// One <see cref="DatabaseCore"/> per directory per process, shared by every handle opened on it (like DuckDB's
/// instance cache), so ADO.NET connections opened per operation do not fight over the directory lock.
/// </summary>
internal static class DatabaseRegistry
{
    private static readonly Dictionary<string, (DatabaseCore Core, int Count)> Open = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    public static DatabaseCore Acquire(string path, TarnOptions? options)
    {
        var full = System.IO.Path.GetFullPath(path);
        lock (Gate)
        {
            if (Open.TryGetValue(full, out var entry))
            {
                Open[full] = (entry.Core, entry.Count + 1);
                return entry.Core;
            }
            var core = new DatabaseCore(full, options ?? new TarnOptions());
            Open[full] = (core, 1);
            core.Jobs.ResumeRecordedJobs();
            return core;
        }
    }

    public static void Release(DatabaseCore core)
    {
        lock (Gate)
        {
            if (!Open.TryGetValue(core.Path, out var entry) || !ReferenceEquals(entry.Core, core)) return;
            if (entry.Count > 1)
            {
                Open[core.Path] = (core, entry.Count - 1);
                return;
            }
            Open.Remove(core.Path);
        }
        core.Dispose();
    }
}
