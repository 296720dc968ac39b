using Tarn.Catalog.Model;
using Tarn.Internal;
using Tarn.Storage.Scans;

namespace Tarn;

/// <summary>
/// Follows a native table as a log (see <see cref="StreamingReader"/>): every committed row exactly once, in
/// commit order per bucket, waking on each commit. Each batch holds the requested columns, then <c>$offset</c> and the bucket;
/// on a primary-key table <see cref="StreamBatch.KindOf"/> gives each row's change kind (+I, -U, +U, -D).
/// </summary>
public sealed class TarnStreamReader
{
    private readonly StreamingReader _reader;

    internal TarnStreamReader(DatabaseCore core, TableDef table, StreamStart start, IReadOnlyList<string>? columns)
    {
        List<int>? ids = null;
        if (columns is not null)
        {
            ids = [];
            foreach (var name in columns)
            {
                var col = table.FindColumn(name) ?? throw new TarnException(SqlStates.UndefinedColumn, $"column '{name}' does not exist in '{table.Name}'");
                if (!col.IsPhysical) throw new TarnException(SqlStates.FeatureNotSupported, $"column '{name}' is not stored");
                ids.Add(col.Id);
            }
        }
        _reader = new StreamingReader(core.Storage, table.TableId, start, ids);
    }

    /// <summary>Next offset per bucket (what to store to resume later with <see cref="StreamStart.AtOffsets"/>).</summary>
    public IReadOnlyList<long> Positions => _reader.Positions;

    public ValueTask<StreamBatch> ReadAsync(CancellationToken cancellation = default) => _reader.ReadAsync(cancellation);

    public StreamBatch? TryRead() => _reader.TryRead();

    /// <summary>Reads no row at or after offset <paramref name="limit"/>[b] of bucket b (null: no limit; see <see cref="StreamingReader.LimitTo"/>).</summary>
    public void LimitTo(long[]? limit) => _reader.LimitTo(limit);

    /// <summary>Durably stores the current positions as consumer <paramref name="consumer"/> (resume with <see cref="StreamStart.ForConsumer"/>).</summary>
    public Task CommitAsync(string consumer) => _reader.CommitAsync(consumer);
}
