using Tarn.Types;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// The PostgreSQL endpoint's view of pg_catalog and information_schema, built from Tarn's live catalog. A statement is
/// tried, in order, as:
/// <list type="number">
/// <item><c>SHOW name</c> of a PostgreSQL setting (server_version, TimeZone, ...; see <see cref="PgSettings"/>);</item>
/// <item>one of Npgsql's type-loading queries (<see cref="PgNpgsqlQueries"/>);</item>
/// <item>one of psql's meta-command queries (<see cref="PgPsqlQueries"/>);</item>
/// <item>any other query over system relations or session functions, rewritten so Tarn's own engine evaluates it
/// (<see cref="PgCatalogRewriter"/>).</item>
/// </list>
/// Anything else returns null and goes to Tarn unchanged.
/// </summary>
internal static class PgCatalogQueries
{
    /// <summary>The statement's outcome when it concerns the catalog, else null; <paramref name="user"/> is the connection's (defaults to the session's principal).</summary>
    public static async Task<PgStatementOutcome?> TryExecuteAsync(TarnSession session, string sql, object?[] parameters, PgSessionUser? user, CancellationToken cancellation)
    {
        if (!MayConcernCatalog(sql)) return null;
        user ??= PgSessionUser.Of(session, null);
        var answer = Show(sql, user) ?? PgNpgsqlQueries.TryAnswer(sql);
        if (answer is null)
        {
            var snapshot = MentionsRelations(sql) ? await PgCatalogSnapshot.TakeAsync(session, user, cancellation) : PgCatalogSnapshot.Take(session, user);
            answer = PgPsqlQueries.TryAnswer(sql, () => snapshot);
            if (answer is null) return await RewrittenAsync(session, sql, parameters, snapshot, cancellation);
        }
        return new PgStatementOutcome(answer, PgCommandTag.For(sql, answer));
    }

    private static async Task<PgStatementOutcome?> RewrittenAsync(TarnSession session, string sql, object?[] parameters, PgCatalogSnapshot snapshot, CancellationToken cancellation)
    {
        if (PgCatalogRewriter.Rewrite(sql, () => snapshot) is not { } rewritten) return null;
        TarnResult result;
        try
        {
            result = await session.ExecuteAsync(rewritten, new TarnParameters(parameters, null), cancellation);
        }
        catch (TarnException e) when (e.Position is not null)
        {
            // The position points into the rewritten text, not the client's: report the error without it.
            throw new TarnException(e.SqlState, e.Message);
        }
        return new PgStatementOutcome(result, PgCommandTag.For(sql, result));
    }

    /// <summary>A cheap test that keeps every other statement off the catalog path.</summary>
    private static bool MayConcernCatalog(string sql) =>
        sql.Contains("pg_", StringComparison.OrdinalIgnoreCase)
        || sql.Contains("information_schema", StringComparison.OrdinalIgnoreCase)
        || sql.Contains("version()", StringComparison.OrdinalIgnoreCase)
        || sql.Contains("current_", StringComparison.OrdinalIgnoreCase)
        || sql.Contains("session_user", StringComparison.OrdinalIgnoreCase)
        || PgCatalogRewriter.MayNameUserKeyword(sql)
        || sql.Contains("public", StringComparison.OrdinalIgnoreCase)
        || sql.TrimStart().StartsWith("SHOW", StringComparison.OrdinalIgnoreCase);

    private static bool MentionsRelations(string sql) =>
        sql.Contains("pg_", StringComparison.OrdinalIgnoreCase) || sql.Contains("information_schema", StringComparison.OrdinalIgnoreCase);

    /// <summary>SHOW of a PostgreSQL setting: one row, one column named after the setting.</summary>
    private static TarnResult? Show(string sql, PgSessionUser user)
    {
        var text = sql.Trim().TrimEnd(';').Trim();
        if (!text.StartsWith("SHOW ", StringComparison.OrdinalIgnoreCase)) return null;
        var name = text[5..].Trim().Trim('"');
        if (PgSettings.Find(name, user) is not { } setting) return null;
        return PgCatalogResult.Build([new PgSystemColumn(setting.Name, DataType.String)], [[setting.Value]]);
    }
}
