using Tarn.Catalog.Model;
using Tarn.Execution.Scan;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Tables;

namespace Tarn.Internal;

/// <summary>
/// Optimized plans of parameterized queries, per database (shared by its sessions), so a repeated statement skips
/// parsing, binding and optimizing. Keyed by everything binding depends on: the SQL text, the session's current
/// catalog and database and time zone, and the types of the parameter values (plus which of them are equal, since
/// the binder may merge expressions that are equal). Parameters are slots in the plan, filled at each execution.
/// An entry is used only while the catalog image and every scanned table's version are the ones it was planned
/// with: DDL replaces the image, and a commit to a scanned table makes a new version (the plan's estimates came from
/// the old one), so both lead to a fresh plan. An entry holds its plan's table versions until it is found stale or
/// replaced (at most <see cref="Capacity"/> entries).
/// </summary>
internal sealed class PlanCache
{
    /// <summary>Entries kept at most; when full the cache starts over (plans are cheap to rebuild, texts rarely that many).</summary>
    public const int Capacity = 512;

    private readonly Dictionary<PlanKey, CachedPlan> _plans = [];
    private readonly object _gate = new();

    public int Count { get { lock (_gate) return _plans.Count; } }

    public CachedPlan? Find(in PlanKey key, CatalogImage image, StorageEngine storage)
    {
        CachedPlan? plan;
        lock (_gate) _plans.TryGetValue(key, out plan);
        if (plan is null || plan.IsCurrent(image, storage)) return plan;
        // Stale: drop it now rather than keep its table versions (and their primary-key indexes) alive.
        lock (_gate)
        {
            if (_plans.TryGetValue(key, out var current) && ReferenceEquals(current, plan)) _plans.Remove(key);
        }
        return null;
    }

    public void Add(in PlanKey key, CachedPlan plan)
    {
        lock (_gate)
        {
            if (_plans.Count >= Capacity) _plans.Clear();
            _plans[key] = plan;
        }
    }

    public void Clear()
    {
        lock (_gate) _plans.Clear();
    }
}

/// <summary>What a cached plan depends on besides the catalog and table versions.</summary>
internal readonly record struct PlanKey(string Sql, string Catalog, string Database, string BindingOptions, string ParameterTypes);

/// <summary>
/// One cached statement: the optimized plan with parameter slots (null when the statement cannot be cached: the
/// binder consumed a parameter value, so each execution binds anew), the catalog image and table versions it was
/// planned against, its result columns, whether it is a primary-key point lookup small enough to run on the
/// caller's thread, and for the plainest lookups (<c>SELECT columns ... WHERE pk = ?</c>) a program that answers
/// without operators. <see cref="ParameterTypes"/> are the placeholder types a describe answers (see
/// <c>StatementRunner.Describe</c>), so a wire protocol's Describe and Execute of one statement plan it once.
/// </summary>
internal sealed record CachedPlan(
    LogicalPlan? Plan,
    CatalogImage Image,
    IReadOnlyList<TableVersion> Tables,
    IReadOnlyList<TarnColumn> Columns,
    bool RunsInline,
    PointLookupProgram? Lookup = null,
    IReadOnlyList<Types.DataType?>? ParameterTypes = null)
{
    public bool IsCurrent(CatalogImage image, StorageEngine storage)
    {
        if (!ReferenceEquals(image, Image)) return false;
        foreach (var t in Tables)
            if (!ReferenceEquals(storage.GetTable(t.TableId), t)) return false;
        return true;
    }
}
