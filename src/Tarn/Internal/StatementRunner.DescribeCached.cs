using Tarn.Sql.Ast;

namespace Tarn.Internal;

/// <summary>
/// Describing a query through the database's <see cref="PlanCache"/>: a wire protocol describes a statement and then
/// executes it (PostgreSQL's Parse/Bind/Describe/Execute), often the same text again and again. Describe plans the
/// query as <see cref="TryExecuteCached"/> does and leaves the plan in the cache, so the Execute that follows (and the
/// next Describe of the same text with parameters of the same types) binds and optimizes nothing. The cached entry is
/// used only while the catalog image and the scanned tables' versions are the ones it was planned with, as for
/// execution; a query the cache cannot hold is described the normal way.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>The description of <paramref name="sql"/> when its plan is cached and current; null otherwise (nothing is bound here).</summary>
    internal static TarnStatementDescription? FindCachedDescription(TarnSession session, string sql, TarnParameters parameters)
    {
        if (!CanDescribeCached(session, parameters)) return null;
        var core = session.Core;
        var cached = core.Plans.Find(DescriptionKey(session, sql, parameters), core.Catalog.Current, core.Storage);
        return Described(cached);
    }

    /// <summary>Describes <paramref name="query"/> from the plan cache, planning it into the cache on a miss; null when the cache cannot hold it.</summary>
    private static TarnStatementDescription? DescribeCached(TarnSession session, string sql, QueryStatement query, TarnParameters parameters, int parameterCount)
    {
        // Describe binds missing placeholders as NULL; the cache plans with exactly the values given.
        if (!CanDescribeCached(session, parameters) || parameterCount != (parameters.Positional?.Count ?? 0)) return null;
        var core = session.Core;
        var key = DescriptionKey(session, sql, parameters);
        var image = core.Catalog.Current;
        var cached = core.Plans.Find(key, image, core.Storage);
        if (cached is null)
        {
            cached = Prepare(session, query, parameters, image);
            core.Plans.Add(key, cached);
        }
        return Described(cached);
    }

    private static TarnStatementDescription? Described(CachedPlan? cached) =>
        cached is { Plan: not null, ParameterTypes: { } types } ? new TarnStatementDescription(cached.Columns, types) : null;

    /// <summary>The conditions under which execution uses the cache (<see cref="TryExecuteCached"/>), but for the query timeout: describing runs nothing.</summary>
    private static bool CanDescribeCached(TarnSession session, TarnParameters parameters) =>
        parameters.Named is not { Count: > 0 } && session.Transaction is null && !IsStreaming(session);

    private static PlanKey DescriptionKey(TarnSession session, string sql, TarnParameters parameters) =>
        new(sql, session.CurrentCatalog, session.CurrentDatabase, BindingOptions(session), TypeSignature(parameters.Positional ?? []));
}
