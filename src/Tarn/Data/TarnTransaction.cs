using System.Data;
using System.Data.Common;

namespace Tarn.Data;

/// <summary>
/// ADO.NET transaction of a <see cref="TarnConnection"/>: BEGIN on creation, then <see cref="Commit"/> or
/// <see cref="Rollback"/>; disposing it uncommitted rolls back. Snapshot isolation (see the README's transactions
/// section), so <see cref="IsolationLevel.Serializable"/> is refused; weaker levels get snapshot isolation.
/// </summary>
public sealed class TarnTransaction : DbTransaction
{
    private readonly TarnConnection _connection;
    private bool _done;

    internal TarnTransaction(TarnConnection connection, IsolationLevel isolationLevel)
    {
        if (isolationLevel == IsolationLevel.Serializable)
            throw new TarnException(SqlStates.FeatureNotSupported, "SERIALIZABLE transactions are not supported; Tarn transactions use snapshot isolation");
        _connection = connection;
        IsolationLevel = isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Snapshot : isolationLevel;
        Run("BEGIN");
    }

    public override IsolationLevel IsolationLevel { get; }

    protected override DbConnection DbConnection => _connection;

    public override void Commit() => End("COMMIT");

    public override void Rollback() => End("ROLLBACK");

    private void End(string sql)
    {
        if (_done) throw new InvalidOperationException("the transaction has already been committed or rolled back");
        _done = true;
        Run(sql);
    }

    private void Run(string sql) => _connection.Session.ExecuteAsync(sql).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done && _connection.State == ConnectionState.Open)
        {
            _done = true;
            if (_connection.Session.InTransaction) Run("ROLLBACK");
        }
        base.Dispose(disposing);
    }
}
