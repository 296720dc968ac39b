using Tarn.Internal;

namespace Tarn;

/// <summary>
/// A conversation with a database: the current catalog and database (USE), and session options (SET). Statements of
/// one session may run concurrently from several threads; USE and SET then affect the ones that start afterwards.
/// </summary>
public sealed partial class TarnSession : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);

    internal TarnSession(DatabaseCore core)
    {
        Core = core;
        CurrentCatalog = Catalog.Model.CatalogImage.DefaultCatalog;
        CurrentDatabase = Catalog.Model.CatalogImage.DefaultDatabase;
    }

    internal DatabaseCore Core { get; }

    public string CurrentCatalog { get; internal set; }
    public string CurrentDatabase { get; internal set; }

    /// <summary>Options set with <c>SET 'key' = 'value'</c>.</summary>
    public IReadOnlyDictionary<string, string> Options
    {
        get { lock (_gate) return new Dictionary<string, string>(_options, StringComparer.OrdinalIgnoreCase); }
    }

    internal void SetOption(string key, string value) { lock (_gate) _options[key] = value; }
    internal void ResetOption(string? key) { lock (_gate) { if (key is null) _options.Clear(); else _options.Remove(key); } }
    internal string? GetOption(string key) { lock (_gate) return _options.GetValueOrDefault(key); }

    /// <summary>
    /// The session's temporary views (Flink's CREATE TEMPORARY VIEW): never written to the catalog, gone with the
    /// session, and shadowing a permanent object of the same name. Keyed by <see cref="TemporaryViewKey"/>.
    /// </summary>
    internal Dictionary<string, Catalog.Model.ViewDef> TemporaryViews { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bumped by every temporary-view change; part of the plan cache's key, as the views shape binding.</summary>
    internal int TemporaryViewsVersion { get; set; }

    internal static string TemporaryViewKey(Catalog.ObjectPath path) => path.ToString();

    /// <summary>The open transaction (BEGIN ... COMMIT/ROLLBACK), or null: then every statement commits on its own.</summary>
    internal SessionTransaction? Transaction { get; private set; }

    /// <summary>True while a transaction (BEGIN) is open in this session.</summary>
    public bool InTransaction => Transaction is not null;

    /// <summary>Opens a transaction; false if one is open already.</summary>
    internal bool TryBeginTransaction()
    {
        SessionTransaction transaction;
        lock (_gate)
        {
            if (Transaction is not null) return false;
            Transaction = transaction = new SessionTransaction(Core.Storage);
        }
        Core.Track(transaction);
        return true;
    }

    /// <summary>Detaches the open transaction (for COMMIT or ROLLBACK to finish it); null if none.</summary>
    internal SessionTransaction? EndTransaction()
    {
        SessionTransaction? transaction;
        lock (_gate)
        {
            transaction = Transaction;
            Transaction = null;
        }
        if (transaction is not null) Core.Untrack(transaction);
        return transaction;
    }

    /// <summary>Rolls back the open transaction, if any. The session stays usable.</summary>
    public void Dispose() => EndTransaction()?.Rollback();

    /// <summary>Runs one statement. Parameters bind to <c>?</c>/<c>$n</c> placeholders in order.</summary>
    public Task<TarnResult> ExecuteAsync(string sql, params object?[] parameters) =>
        ExecuteAsync(sql, new TarnParameters(parameters, null), CancellationToken.None);

    /// <summary>Runs one statement with positional and/or named (<c>:name</c>, <c>@name</c>) parameters.</summary>
    public Task<TarnResult> ExecuteAsync(string sql, TarnParameters parameters, CancellationToken cancellation = default) =>
        StatementRunner.ExecuteSingleAsync(this, sql, parameters, cancellation);

    /// <summary>
    /// Parses one statement to run repeatedly with different parameter values; its plan is cached after the first
    /// execution (see <see cref="TarnPreparedStatement"/>).
    /// </summary>
    public TarnPreparedStatement Prepare(string sql) => new(this, sql);

    /// <summary>
    /// Runs a script of statements separated by semicolons, in order, yielding each statement's text and result. The
    /// first failing statement throws; statements before it have taken effect, statements after it do not run.
    /// </summary>
    public IAsyncEnumerable<(string Statement, TarnResult Result)> ExecuteScriptAsync(string script, CancellationToken cancellation = default) =>
        StatementRunner.ExecuteScriptAsync(this, script, cancellation);
}

/// <summary>Statement parameters: positional values for <c>?</c>/<c>$1</c>, and named values for <c>:name</c>/<c>@name</c>.</summary>
public sealed record TarnParameters(IReadOnlyList<object?>? Positional, IReadOnlyDictionary<string, object?>? Named)
{
    public static readonly TarnParameters None = new(null, null);
}
