using Tarn.Vectors;

namespace Tarn.Server.PgWire;

/// <summary>
/// The rows COPY FROM builds: one vector per table column, filled field by field by a decoder; every
/// <see cref="BatchRows"/> rows the batch goes to the bulk load (columns not in the COPY list are NULL).
/// </summary>
internal sealed class PgCopyTarget
{
    public const int BatchRows = 1 << 16;

    private readonly TarnBulkLoad _load;
    private readonly IReadOnlyList<TarnColumn> _table;
    private readonly int[] _tableIndexOf;
    private readonly bool[] _copied;
    private Task _adding = Task.CompletedTask;

    public PgCopyTarget(TarnBulkLoad load, string tableName, IReadOnlyList<string>? names)
    {
        _load = load;
        _table = load.Columns;
        TableName = tableName;
        if (names is null)
        {
            _tableIndexOf = new int[_table.Count];
            for (var i = 0; i < _tableIndexOf.Length; i++) _tableIndexOf[i] = i;
        }
        else
        {
            _tableIndexOf = new int[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var index = -1;
                for (var c = 0; c < _table.Count; c++) if (string.Equals(_table[c].Name, names[i], StringComparison.OrdinalIgnoreCase)) { index = c; break; }
                if (index < 0 && load.DerivedColumns.Contains(names[i], StringComparer.OrdinalIgnoreCase))
                    throw new TarnException(SqlStates.InvalidColumnReference, $"column \"{names[i]}\" is a computed or metadata column; COPY loads stored columns only");
                if (index < 0) throw new TarnException(SqlStates.UndefinedColumn, $"column \"{names[i]}\" of relation \"{tableName}\" does not exist");
                for (var j = 0; j < i; j++) if (_tableIndexOf[j] == index) throw new TarnException(SqlStates.DuplicateColumn, $"column \"{names[i]}\" specified more than once");
                _tableIndexOf[i] = index;
            }
        }
        _copied = new bool[_table.Count];
        foreach (var index in _tableIndexOf) _copied[index] = true;
        for (var c = 0; c < _table.Count; c++)
            if (!_copied[c] && !_table[c].Type.Nullable)
                throw new TarnException(SqlStates.NotNullViolation, $"null value in column \"{_table[c].Name}\" of relation \"{tableName}\" violates not-null constraint");
        Columns = new PgCopyColumn[_tableIndexOf.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = _table[_tableIndexOf[i]];
            Columns[i] = new PgCopyColumn(column.Name, column.Type, ColumnVector.Create(column.Type, BatchRows));
        }
    }

    public string TableName { get; }

    /// <summary>The columns in COPY order (the order of the fields of each row).</summary>
    public PgCopyColumn[] Columns { get; }

    /// <summary>Rows in the batch being built.</summary>
    public int Rows { get; private set; }

    public void AppendNull(PgCopyColumn column)
    {
        if (!column.Type.Nullable)
            throw new TarnException(SqlStates.NotNullViolation, $"null value in column \"{column.Name}\" of relation \"{TableName}\" violates not-null constraint");
        column.Vector.AppendNull();
    }

    public void EndRow()
    {
        if (++Rows >= BatchRows) Flush();
    }

    /// <summary>Hands the rows built so far to the load.</summary>
    public void Flush()
    {
        if (Rows == 0) return;
        var vectors = new ColumnVector[_table.Count];
        for (var i = 0; i < Columns.Length; i++)
        {
            vectors[_tableIndexOf[i]] = Columns[i].Vector;
            Columns[i].Vector = ColumnVector.Create(Columns[i].Type, BatchRows);
        }
        for (var c = 0; c < vectors.Length; c++)
        {
            if (_copied[c]) continue;
            var nulls = ColumnVector.Create(_table[c].Type, Rows);
            var mask = new byte[Rows];
            mask.AsSpan().Fill(1);
            nulls.SetCount(Rows);
            nulls.SetNulls(mask);
            vectors[c] = nulls;
        }
        // Encoding a batch into segments overlaps with decoding the next one; at most one batch is in flight.
        var batch = new ColumnBatch(vectors, Rows);
        Rows = 0;
        var previous = _adding;
        if (!previous.IsCompleted) previous.GetAwaiter().GetResult();
        else if (previous.IsFaulted) previous.GetAwaiter().GetResult();
        _adding = Task.Run(() => _load.Add(batch));
    }

    /// <summary>Hands the last rows on and waits until the load holds every row (rethrowing a failure of the load).</summary>
    public async Task CompleteAsync()
    {
        Flush();
        await _adding.ConfigureAwait(false);
    }

    /// <summary>Waits for a batch still being added, ignoring its outcome (before the load is abandoned after an error).</summary>
    public void WaitQuietly()
    {
        try
        {
            _adding.Wait();
        }
        catch (AggregateException)
        {
            // the COPY already failed; this failure adds nothing
        }
    }
}
