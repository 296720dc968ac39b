using Tarn.Storage.Log;

namespace Tarn;

public sealed partial class TarnDatabase
{
    /// <summary>
    /// The durable consumers registered on a native table (<see cref="TarnStreamReader.CommitAsync"/>) and their
    /// positions per bucket. Compaction keeps every consumer's positions as boundaries (storage-spec DB-052).
    /// </summary>
    public IReadOnlyDictionary<string, long[]> ConsumersOf(string table)
    {
        var id = NativeTableId(table);
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        if (_core.Storage.GetTable(id) is { } version)
            foreach (var (name, positions) in version.Consumers) result[name] = positions.ToArray();
        return result;
    }

    /// <summary>
    /// Forgets the durable consumer <paramref name="consumer"/> on every native table that registered it, in one
    /// commit, so it no longer holds boundaries there; <paramref name="table"/> limits this to one table. Returns how
    /// many tables had it.
    /// </summary>
    public async Task<int> RemoveConsumerAsync(string consumer, string? table = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        var only = table is null ? (long?)null : NativeTableId(table);
        var ops = new List<LogOp>();
        foreach (var (id, version) in _core.Storage.Current.Tables)
            if ((only is null || only == id) && version.Consumers.ContainsKey(consumer)) ops.Add(new ConsumerOp(id, consumer, null));
        if (ops.Count > 0) await _core.Storage.CommitAsync(ops).ConfigureAwait(false);
        return ops.Count;
    }

    private long NativeTableId(string table)
    {
        var def = _core.Catalog.FindTable(ResolveTable(DefaultSession, table)) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{table}' does not exist");
        if (!def.IsNative) throw new TarnException(SqlStates.FeatureNotSupported, $"'{table}' is a connector table");
        return def.TableId;
    }
}
