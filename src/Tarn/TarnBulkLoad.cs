using Tarn.Catalog.Model;
using Tarn.Internal;
using Tarn.Storage.Changelog;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn;

/// <summary>
/// An all-or-nothing bulk load into one native table (what COPY ... FROM STDIN needs): the caller hands over column
/// batches in the table's column order (see <see cref="Columns"/>), and <see cref="CommitAsync"/> makes all of them
/// visible in ONE commit (or stages them in the session's open transaction). Disposing without committing leaves
/// nothing behind. Unlike <see cref="TarnAppender"/> (which commits every chunk), nothing is visible before the end.
/// Not thread-safe.
/// </summary>
public sealed class TarnBulkLoad : IDisposable
{
    private readonly TarnSession _session;
    private readonly TableDef _table;
    private readonly TableVersion _read;
    private readonly AppendBuilder? _builder;
    private readonly UpsertWriter? _upserts;
    private bool _finished;

    internal TarnBulkLoad(TarnSession session, TableDef table, TableVersion read)
    {
        _session = session;
        _table = table;
        _read = read;
        // Computed and metadata columns are not stored: a load fills the stored columns, as PostgreSQL's COPY leaves
        // out generated columns.
        var schema = table.PhysicalSchema();
        var derived = new List<string>();
        foreach (var c in table.Columns) if (!c.IsPhysical) derived.Add(c.Name);
        DerivedColumns = derived;
        var columns = new TarnColumn[schema.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = new TarnColumn(schema[i].Name, schema[i].Type);
        Columns = columns;
        if (read.Layout.HasPrimaryKey) _upserts = StatementRunner.NewBulkUpsertWriter(table, read);
        else _builder = new AppendBuilder(session.Core.Storage, read);
    }

    /// <summary>The table's stored columns, in the order batches must have them.</summary>
    public IReadOnlyList<TarnColumn> Columns { get; }

    /// <summary>The table's computed and metadata columns, which are derived when read and so cannot be loaded.</summary>
    public IReadOnlyList<string> DerivedColumns { get; }

    /// <summary>Rows handed over so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>
    /// Adds rows (one vector per column of <see cref="Columns"/>, of each column's type). Large loads are encoded and
    /// written to not-yet-committed segment files as they arrive, so memory stays bounded.
    /// </summary>
    public void Add(ColumnBatch rows)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (rows.RowCount == 0) return;
        if (rows.ColumnCount != Columns.Count)
            throw new TarnException(SqlStates.DatatypeMismatch, $"a batch of {rows.ColumnCount} columns for table '{_table.Name}' of {Columns.Count}");
        if (_builder is not null) _builder.Add(rows);
        else _upserts!.Add(rows, RowKind.Insert);
        RowCount += rows.RowCount;
    }

    /// <summary>Makes every added row visible in one commit (or stages them in the open transaction); returns the row count.</summary>
    public async Task<long> CommitAsync(CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        if (RowCount == 0) return 0;
        if (_builder is not null) await StatementRunner.CommitBulkAppendAsync(_session, _read, _builder, cancellation).ConfigureAwait(false);
        else await StatementRunner.CommitBulkUpsertsAsync(_session, _table, _read, _upserts!, cancellation).ConfigureAwait(false);
        return RowCount;
    }

    /// <summary>Abandons the load if it was not committed: segment files written so far are deleted.</summary>
    public void Dispose()
    {
        if (!_finished) _builder?.Abandon();
        _finished = true;
        _builder?.Dispose();
    }
}
