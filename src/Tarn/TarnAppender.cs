using Tarn.Catalog.Model;
using Tarn.Internal;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn;

/// <summary>
/// Bulk ingest into a native table, like DuckDB's appender: values go straight into column vectors (no SQL, no
/// boxing on the typed methods), and every <see cref="ChunkRows"/> rows are encoded, written and committed in the
/// background while the caller keeps appending. Rows are durable (acknowledged) once <see cref="Flush"/> or
/// <see cref="Dispose"/> returns; each flushed chunk is atomic. Not thread-safe: use one appender per thread.
/// </summary>
public sealed class TarnAppender : IDisposable, IAsyncDisposable
{
    private readonly DatabaseCore _core;
    private readonly TableDef _table;
    private readonly Schema _schema;
    private ColumnVector[] _columns;
    private int _column;
    private int _rows;
    private Task _inFlight = Task.CompletedTask;
    private bool _disposed;

    internal TarnAppender(DatabaseCore core, TableDef table, int chunkRows)
    {
        _core = core;
        _table = table;
        _schema = table.PhysicalSchema();
        if (_schema.Count != table.Columns.Count)
            throw new TarnException(SqlStates.FeatureNotSupported, $"table '{table.Name}' has computed or metadata columns; append through INSERT instead");
        ChunkRows = chunkRows;
        _columns = NewColumns();
    }

    /// <summary>Rows buffered before they are committed as one chunk in the background.</summary>
    public int ChunkRows { get; }

    /// <summary>Rows appended and committed (durable) so far.</summary>
    public long RowsCommitted { get; private set; }

    /// <summary>Rows the column buffers hold before their first growth (a 32 KB BIGINT column, below the large object heap).</summary>
    private const int InitialChunkCapacity = 4096;

    private ColumnVector[] NewColumns()
    {
        var cols = new ColumnVector[_schema.Count];
        // Start small and grow by doubling: a full-size chunk (8 MB per BIGINT column) allocated for every appender
        // that commits a few rows lands on the large object heap and triggers a gen2 collection every few appenders.
        for (var i = 0; i < cols.Length; i++) cols[i] = ColumnVector.Create(_schema[i].Type, Math.Min(ChunkRows, InitialChunkCapacity));
        return cols;
    }

    private ColumnVector Next()
    {
        if (_column >= _columns.Length) throw new TarnException(SqlStates.DatatypeMismatch, $"too many values for a row of '{_table.Name}' ({_columns.Length} columns); call EndRow");
        return _columns[_column++];
    }

    private TarnException Mismatch(ColumnVector v, string given) =>
        new(SqlStates.DatatypeMismatch, $"column '{_schema[_column - 1].Name}' is {v.Type.ToSql()}; cannot append a {given}");

    public TarnAppender Append(long value)
    {
        var v = Next();
        switch (v)
        {
            case PrimitiveVector<long> l when v.Type.Kind == TypeKind.BigInt: l.Append(value); break;
            case PrimitiveVector<int> i when v.Type.Kind == TypeKind.Int: i.Append(checked((int)value)); break;
            case PrimitiveVector<short> s: s.Append(checked((short)value)); break;
            case PrimitiveVector<sbyte> b: b.Append(checked((sbyte)value)); break;
            case PrimitiveVector<double> d: d.Append(value); break;
            case PrimitiveVector<float> f: f.Append(value); break;
            case PrimitiveVector<long> dec when v.Type.Kind == TypeKind.Decimal: dec.Append(checked(value * (long)ValueConverter.Pow10(v.Type.Scale))); break;
            default: ValueConverter.AppendClr(v, value); break;
        }
        return this;
    }

    public TarnAppender Append(int value) => Append((long)value);

    public TarnAppender Append(double value)
    {
        var v = Next();
        if (v is PrimitiveVector<double> d) d.Append(value);
        else if (v is PrimitiveVector<float> f) f.Append((float)value);
        else ValueConverter.AppendClr(v, value);
        return this;
    }

    public TarnAppender Append(string? value)
    {
        var v = Next();
        if (value is null) v.AppendNull();
        else if (v is BinaryVector b && v.Type.IsString) b.Append(value);
        else if (v.Type.IsArray) throw Mismatch(v, "string");
        else ValueConverter.AppendClr(v, value);
        return this;
    }

    public TarnAppender Append(bool value)
    {
        var v = Next();
        if (v is PrimitiveVector<bool> b) b.Append(value);
        else throw Mismatch(v, "boolean");
        return this;
    }

    public TarnAppender Append(DateTime value)
    {
        var v = Next();
        if (v is PrimitiveVector<long> l && v.Type.IsTimestamp) l.Append(ValueConverter.DateTimeToTimestamp(value, v.Type));
        else ValueConverter.AppendClr(v, value);
        return this;
    }

    public TarnAppender Append(decimal value)
    {
        ValueConverter.AppendClr(Next(), value);
        return this;
    }

    /// <summary>Appends any supported CLR value (slower: it boxes).</summary>
    public TarnAppender AppendValue(object? value)
    {
        var v = Next();
        try
        {
            ValueConverter.AppendClr(v, value);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            _column--;
            throw new TarnException(SqlStates.DatatypeMismatch, $"column '{_schema[_column].Name}' ({v.Type.ToSql()}): cannot store {value}: {e.Message}", e);
        }
        return this;
    }

    public TarnAppender AppendNull()
    {
        var v = Next();
        if (!v.Type.Nullable)
        {
            _column--;
            throw new TarnException(SqlStates.NotNullViolation, $"column '{_schema[_column].Name}' is NOT NULL");
        }
        v.AppendNull();
        return this;
    }

    /// <summary>Appends a whole row of CLR values.</summary>
    public void AppendRow(params object?[] values)
    {
        foreach (var value in values) AppendValue(value);
        EndRow();
    }

    /// <summary>Completes the current row; every column must have received a value.</summary>
    public void EndRow()
    {
        if (_column != _columns.Length)
            throw new TarnException(SqlStates.DatatypeMismatch, $"row has {_column} values but '{_table.Name}' has {_columns.Length} columns");
        _column = 0;
        if (++_rows >= ChunkRows) StartCommit();
    }

    private void StartCommit()
    {
        var batch = new ColumnBatch(_columns, _rows);
        var rows = _rows;
        _columns = NewColumns();
        _rows = 0;
        var previous = _inFlight;
        _inFlight = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await CommitAsync(batch).ConfigureAwait(false);
            RowsCommitted += rows;
        });
        // Bound memory: at most one chunk encoding while the caller fills the next.
        if (!previous.IsCompleted) previous.GetAwaiter().GetResult();
    }

    private async Task CommitAsync(ColumnBatch batch)
    {
        var engine = _core.Storage;
        var table = engine.GetTable(_table.TableId) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{_table.Name}' was dropped");
        if (table.Layout.HasPrimaryKey)
        {
            // Upserts: stored as their full changelog (storage-spec DB-054).
            await StatementRunner.CommitUpsertsAsync(engine, _table, batch).ConfigureAwait(false);
            return;
        }
        await engine.WaitForInlineSpaceAsync(CancellationToken.None).ConfigureAwait(false);
        using var builder = new AppendBuilder(engine, table);
        builder.Add(batch);
        var ops = builder.Finish();
        try
        {
            await engine.CommitAsync(ops).ConfigureAwait(false);
        }
        catch
        {
            builder.Abandon();
            throw;
        }
    }

    /// <summary>Commits every complete row appended so far and waits until it is durable.</summary>
    public void Flush() => FlushAsync().GetAwaiter().GetResult();

    public async Task FlushAsync()
    {
        if (_column != 0) throw new TarnException(SqlStates.DatatypeMismatch, "the current row is incomplete; call EndRow first");
        if (_rows > 0) StartCommit();
        await _inFlight.ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_column == 0) Flush();
        else _inFlight.GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_column == 0) await FlushAsync().ConfigureAwait(false);
        else await _inFlight.ConfigureAwait(false);
    }
}
