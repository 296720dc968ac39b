using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tarn.Data;

/// <summary>
/// An ADO.NET command. The text may hold several statements separated by semicolons; each runs in order.
/// Parameters: positional (<c>?</c>, <c>$1</c>) take the collection's values in order; named ones (<c>@name</c>,
/// <c>:name</c>) match parameters by name with or without the prefix.
/// </summary>
public sealed class TarnCommand : DbCommand
{
    private readonly TarnParameterCollection _parameters = new();
    private string _text = "";

    [AllowNull]
    public override string CommandText { get => _text; set => _text = value ?? ""; }
    public override int CommandTimeout { get; set; } = 30;
    public override CommandType CommandType { get; set; } = CommandType.Text;
    public override bool DesignTimeVisible { get; set; }
    public override UpdateRowSource UpdatedRowSource { get; set; }
    public new TarnConnection? Connection { get; set; }
    protected override DbConnection? DbConnection { get => Connection; set => Connection = (TarnConnection?)value; }
    protected override DbParameterCollection DbParameterCollection => _parameters;
    public new TarnParameterCollection Parameters => _parameters;
    protected override DbTransaction? DbTransaction { get; set; }

    private CancellationTokenSource? _running;

    /// <summary>Cancels the statement running now (from any thread): it fails with SQLSTATE 57014.</summary>
    public override void Cancel()
    {
        try
        {
            Volatile.Read(ref _running)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // it just finished
        }
    }

    public override void Prepare() { }
    protected override DbParameter CreateDbParameter() => new TarnParameter();

    private async Task<List<TarnResult>> RunAsync(CancellationToken cancellation)
    {
        if (Connection is null) throw new InvalidOperationException("the command has no connection");
        var session = Connection.Session;
        using var timeout = CommandTimeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(CommandTimeout)) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        Volatile.Write(ref _running, linked);
        var results = new List<TarnResult>();
        var parameters = _parameters.ToTarnParameters();
        try
        {
            await foreach (var (_, result) in Internal.StatementRunner.ExecuteScriptAsync(session, _text, linked.Token, parameters).ConfigureAwait(false))
                results.Add(result);
        }
        catch (Exception e) when (linked.IsCancellationRequested && (e is OperationCanceledException || e is TarnException { SqlState: SqlStates.QueryCanceled }))
        {
            // CommandTimeout: say so (SqlClient and Npgsql report timeouts distinctly from Cancel too)
            throw Internal.StatementRunner.Canceled(timeout.IsCancellationRequested && !cancellation.IsCancellationRequested, e);
        }
        finally
        {
            Interlocked.CompareExchange(ref _running, null, linked);
        }
        return results;
    }

    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        var results = await RunAsync(cancellationToken).ConfigureAwait(false);
        long n = -1;
        foreach (var r in results) if (r.RowsAffected >= 0) n = Math.Max(n, 0) + r.RowsAffected;
        return (int)Math.Min(n, int.MaxValue);
    }

    public override object? ExecuteScalar() => ExecuteScalarAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        var results = await RunAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in results)
            if (r.HasRows) return r.RowCount > 0 ? r.GetValue(0, 0) ?? DBNull.Value : null;
        return null;
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => new TarnDataReader(RunAsync(CancellationToken.None).GetAwaiter().GetResult());

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        new TarnDataReader(await RunAsync(cancellationToken).ConfigureAwait(false));
}

public sealed class TarnParameter : DbParameter
{
    private string _name = "";

    public TarnParameter() { }

    public TarnParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    public override DbType DbType { get; set; } = DbType.Object;
    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;
    public override bool IsNullable { get; set; } = true;
    [AllowNull] public override string ParameterName { get => _name; set => _name = value ?? ""; }
    [AllowNull] public override string SourceColumn { get; set; } = "";
    public override object? Value { get; set; }
    public override bool SourceColumnNullMapping { get; set; }
    public override int Size { get; set; }
    public override void ResetDbType() => DbType = DbType.Object;
}

public sealed class TarnParameterCollection : DbParameterCollection
{
    private readonly List<TarnParameter> _items = [];

    public override int Count => _items.Count;
    public override object SyncRoot => _items;

    public TarnParameter AddWithValue(string name, object? value)
    {
        var p = new TarnParameter(name, value);
        _items.Add(p);
        return p;
    }

    public override int Add(object value) { _items.Add((TarnParameter)value); return _items.Count - 1; }
    public override void AddRange(Array values) { foreach (var v in values) Add(v!); }
    public override void Clear() => _items.Clear();
    public override bool Contains(object value) => _items.Contains((TarnParameter)value);
    public override bool Contains(string value) => IndexOf(value) >= 0;
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();
    public override int IndexOf(object value) => _items.IndexOf((TarnParameter)value);
    public override int IndexOf(string parameterName)
    {
        var name = Strip(parameterName);
        return _items.FindIndex(p => string.Equals(Strip(p.ParameterName), name, StringComparison.OrdinalIgnoreCase));
    }
    public override void Insert(int index, object value) => _items.Insert(index, (TarnParameter)value);
    public override void Remove(object value) => _items.Remove((TarnParameter)value);
    public override void RemoveAt(int index) => _items.RemoveAt(index);
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));
    protected override DbParameter GetParameter(int index) => _items[index];
    protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];
    protected override void SetParameter(int index, DbParameter value) => _items[index] = (TarnParameter)value;
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = (TarnParameter)value;

    private static string Strip(string name) => name.TrimStart('@', ':', '$');

    internal TarnParameters ToTarnParameters()
    {
        if (_items.Count == 0) return TarnParameters.None;
        var positional = new List<object?>();
        var named = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in _items)
        {
            var v = p.Value is DBNull ? null : p.Value;
            positional.Add(v);
            if (p.ParameterName.Length > 0) named[Strip(p.ParameterName)] = v;
        }
        return new TarnParameters(positional, named);
    }
}
