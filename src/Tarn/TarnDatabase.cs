using Tarn.Catalog;
using Tarn.Internal;
using Tarn.Storage.Scans;

namespace Tarn;

/// <summary>
/// An open Tarn database: the embedded entry point.
/// <code>
/// await using var db = await TarnDatabase.OpenAsync("mydb");
/// await db.ExecuteAsync("CREATE TABLE t (id BIGINT, name STRING)");
/// var result = await db.ExecuteAsync("SELECT count(*) FROM t");
/// </code>
/// Thread-safe. Opening the same directory again in this process shares the engine; another process gets SQLSTATE 55P03.
/// </summary>
public sealed partial class TarnDatabase : IAsyncDisposable, IDisposable
{
    private readonly DatabaseCore _core;
    private int _disposed;

    private TarnDatabase(DatabaseCore core)
    {
        _core = core;
        DefaultSession = new TarnSession(core);
    }

    /// <summary>The directory of the database.</summary>
    public string Path => _core.Path;

    /// <summary>The session used by the convenience methods on this object.</summary>
    public TarnSession DefaultSession { get; }

    internal DatabaseCore Core => _core;

    /// <summary>
    /// Where Tarn keeps its default database when none is named: <c>$TARN_HOME</c> if set, else
    /// <c>$XDG_DATA_HOME/tarn/default</c>, else <c>~/.local/share/tarn/default</c> (on Windows <c>%LOCALAPPDATA%\tarn\default</c>).
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("TARN_HOME");
            if (!string.IsNullOrEmpty(home)) return System.IO.Path.GetFullPath(home);
            var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(data))
                data = OperatingSystem.IsWindows()
                    ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return System.IO.Path.Combine(data, "tarn", "default");
        }
    }

    public static TarnDatabase Open(string path, TarnOptions? options = null) => new(DatabaseRegistry.Acquire(path, options));

    public static Task<TarnDatabase> OpenAsync(string path, TarnOptions? options = null, CancellationToken cancellation = default) =>
        Task.Run(() => Open(path, options), cancellation);

    /// <summary>A new session with its own current database and options.</summary>
    public TarnSession CreateSession() => new(_core);

    public Task<TarnResult> ExecuteAsync(string sql, params object?[] parameters) => DefaultSession.ExecuteAsync(sql, parameters);

    public TarnResult Execute(string sql, params object?[] parameters) => DefaultSession.ExecuteAsync(sql, parameters).GetAwaiter().GetResult();

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> (by constructor parameter or settable property name, case-insensitive).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, params object?[] parameters)
    {
        var result = await ExecuteAsync(sql, parameters).ConfigureAwait(false);
        return RowMapper<T>.Map(result);
    }

    /// <summary>A bulk appender for a native table (see <see cref="TarnAppender"/>).</summary>
    public TarnAppender CreateAppender(string table, int chunkRows = 1 << 20)
    {
        var path = ResolveTable(DefaultSession, table);
        var def = _core.Catalog.FindTable(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        if (!def.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table; the appender writes native tables only");
        return new TarnAppender(_core, def, chunkRows);
    }

    /// <summary>A writer of column batches for a log producer (chosen bucket, assigned offsets, commit metadata; see <see cref="TarnTableWriter"/>).</summary>
    public TarnTableWriter CreateTableWriter(string table)
    {
        var path = ResolveTable(DefaultSession, table);
        var def = _core.Catalog.FindTable(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        if (!def.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table; the writer writes native tables only");
        return new TarnTableWriter(_core, path, def);
    }

    /// <summary>The committed metadata entries (see <see cref="TarnTableWriter"/>) whose key starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> ReadCommitMetadata(string prefix)
    {
        var result = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        foreach (var (key, value) in _core.Storage.Current.Jobs)
            if (Internal.CommitMetadata.IsMetadata(key) && key.StartsWith(prefix, StringComparison.Ordinal)) result.Add(new(key, value));
        return result;
    }

    /// <summary>Follows a native table as a log from <paramref name="start"/> (see <see cref="StreamingReader"/>).</summary>
    public TarnStreamReader OpenStream(string table, StreamStart start, IReadOnlyList<string>? columns = null)
    {
        var path = ResolveTable(DefaultSession, table);
        var def = _core.Catalog.FindTable(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        if (!def.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table");
        return new TarnStreamReader(_core, def, start, columns);
    }

    internal static ObjectPath ResolveTable(TarnSession session, string name)
    {
        var parts = name.Split('.');
        return parts.Length switch
        {
            1 => new ObjectPath(session.CurrentCatalog, session.CurrentDatabase, parts[0]),
            2 => new ObjectPath(session.CurrentCatalog, parts[0], parts[1]),
            3 => new ObjectPath(parts[0], parts[1], parts[2]),
            _ => throw new TarnException(SqlStates.SyntaxError, $"invalid table name '{name}'"),
        };
    }

    /// <summary>Writes a manifest now (normally done in the background and on close).</summary>
    public void Checkpoint() => _core.Storage.Checkpoint();

    /// <summary>
    /// Returns when every running streaming job has processed all input committed before the call and committed its
    /// output — including rows that jobs write meanwhile into tables other jobs read, so a pipeline drains completely.
    /// </summary>
    public Task WaitForJobsAsync(CancellationToken cancellation = default) => _core.Jobs.WaitForJobsAsync(cancellation);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        DefaultSession.Dispose(); // rolls back its open transaction
        DatabaseRegistry.Release(_core);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
