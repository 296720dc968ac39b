using Tarn.Types;
using Tarn.Vectors;

namespace Tarn;

/// <summary>A result column: its name and SQL type.</summary>
public sealed record TarnColumn(string Name, DataType Type);

/// <summary>What kind of statement produced a result.</summary>
public enum StatementKind
{
    Query,
    Insert,
    Update,
    Delete,
    Ddl,
    Set,
    Use,
    Show,
    Explain,
    Other,
}

/// <summary>
/// The complete result of one statement: for queries the columns and rows (kept as column batches), for DML the
/// number of rows changed, for DDL and SET a short message. Reading values: <see cref="GetValue"/> (CLR objects),
/// <see cref="Rows"/>, <see cref="Batches"/> (zero-copy column vectors) or <see cref="CreateReader"/> (ADO.NET).
/// </summary>
public sealed class TarnResult
{
    private readonly int[] _batchStarts;

    public TarnResult(StatementKind kind, IReadOnlyList<TarnColumn> columns, IReadOnlyList<ColumnBatch> batches, long rowsAffected = -1, string? message = null)
    {
        Kind = kind;
        Columns = columns;
        Batches = batches;
        RowsAffected = rowsAffected;
        Message = message;
        _batchStarts = new int[batches.Count + 1];
        for (var i = 0; i < batches.Count; i++) _batchStarts[i + 1] = _batchStarts[i] + batches[i].RowCount;
        RowCount = _batchStarts[^1];
    }

    public static TarnResult Ok(StatementKind kind, string message, long rowsAffected = -1) => new(kind, [], [], rowsAffected, message);

    public StatementKind Kind { get; }
    public IReadOnlyList<TarnColumn> Columns { get; }
    public IReadOnlyList<ColumnBatch> Batches { get; }

    /// <summary>Rows returned (queries).</summary>
    public int RowCount { get; }

    /// <summary>Rows inserted, updated or deleted; -1 when not applicable.</summary>
    public long RowsAffected { get; }

    /// <summary>A status line for statements without rows ("Table created", ...).</summary>
    public string? Message { get; }

    public bool HasRows => Columns.Count > 0;

    /// <summary>The value at (row, column) as a CLR object (null for SQL NULL).</summary>
    public object? GetValue(int row, int column)
    {
        var (batch, local) = Locate(row);
        return Batches[batch].Columns[column].GetValue(local);
    }

    /// <summary>The batch and row within it holding result row <paramref name="row"/>.</summary>
    public (int Batch, int Row) Locate(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row));
        var lo = 0;
        var hi = Batches.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_batchStarts[mid] <= row) lo = mid;
            else hi = mid - 1;
        }
        return (lo, row - _batchStarts[lo]);
    }

    /// <summary>Every row as an array of CLR values.</summary>
    public IEnumerable<object?[]> Rows
    {
        get
        {
            foreach (var batch in Batches)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    var values = new object?[Columns.Count];
                    for (var c = 0; c < values.Length; c++) values[c] = batch.Columns[c].GetValue(r);
                    yield return values;
                }
            }
        }
    }

    /// <summary>An ADO.NET reader over the rows.</summary>
    public System.Data.Common.DbDataReader CreateReader() => new Data.TarnDataReader([this]);

    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
