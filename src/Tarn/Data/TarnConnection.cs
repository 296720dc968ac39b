using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Tarn.Internal;

namespace Tarn.Data;

/// <summary>
/// ADO.NET connection to a Tarn database, so Dapper and other ADO.NET tools work. Connection string:
/// <c>Data Source=/path/to/db</c> (also <c>DataSource</c>, <c>Path</c>). Connections to one directory share one engine;
/// each connection has its own session (current database, SET options).
/// </summary>
public sealed class TarnConnection : DbConnection
{
    private string _connectionString = "";
    private DatabaseCore? _core;
    private TarnSession? _session;

    public TarnConnection() { }

    public TarnConnection(string connectionString) => _connectionString = connectionString;

    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_core is not null) throw new InvalidOperationException("close the connection before changing its connection string");
            _connectionString = value ?? "";
        }
    }

    public override string Database => _session?.CurrentDatabase ?? "";
    public override string DataSource => ParsePath();
    public override string ServerVersion => typeof(TarnConnection).Assembly.GetName().Version?.ToString() ?? "0";
    public override ConnectionState State => _core is null ? ConnectionState.Closed : ConnectionState.Open;

    internal TarnSession Session => _session ?? throw new InvalidOperationException("the connection is not open");

    private string ParsePath()
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = _connectionString };
        foreach (var key in new[] { "Data Source", "DataSource", "Path" })
            if (builder.TryGetValue(key, out var v) && v is string s && s.Length > 0) return s;
        return "";
    }

    public override void Open()
    {
        if (_core is not null) return;
        var path = ParsePath();
        if (path.Length == 0) throw new ArgumentException("the connection string needs 'Data Source=<database directory>'");
        _core = DatabaseRegistry.Acquire(path, null);
        _session = new TarnSession(_core);
    }

    public override Task OpenAsync(CancellationToken cancellationToken) => Task.Run(Open, cancellationToken);

    public override void Close()
    {
        if (_core is null) return;
        _session?.Dispose(); // rolls back an open transaction
        DatabaseRegistry.Release(_core);
        _core = null;
        _session = null;
    }

    public override void ChangeDatabase(string databaseName) => Session.CurrentDatabase = databaseName;

    /// <summary>Starts a transaction on this connection's session (BEGIN); see <see cref="TarnTransaction"/>.</summary>
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new TarnTransaction(this, isolationLevel);

    protected override DbCommand CreateDbCommand() => new TarnCommand { Connection = this };

    public new TarnCommand CreateCommand() => new() { Connection = this };

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }
}

/// <summary>The provider factory (for DbProviderFactories registration and tools that want one).</summary>
public sealed class TarnProviderFactory : DbProviderFactory
{
    public static readonly TarnProviderFactory Instance = new();
    public override DbConnection CreateConnection() => new TarnConnection();
    public override DbCommand CreateCommand() => new TarnCommand();
    public override DbParameter CreateParameter() => new TarnParameter();
}
