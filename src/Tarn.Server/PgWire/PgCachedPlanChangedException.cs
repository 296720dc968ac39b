namespace Tarn.Server.PgWire;

/// <summary>
/// PostgreSQL's "cached plan must not change result type" (0A000 from routine RevalidateCachedQuery): a prepared
/// statement whose result columns changed since it was described (ALTER TABLE under a <c>SELECT *</c>) fails rather
/// than send rows the client would decode with the old description. Npgsql, pgjdbc and asyncpg recognise the routine
/// and prepare the statement again.
/// </summary>
internal sealed class PgCachedPlanChangedException()
    : TarnException(SqlStates.FeatureNotSupported, "cached plan must not change result type")
{
    public const string Routine = "RevalidateCachedQuery";

    /// <summary>Throws when <paramref name="now"/> differs from what <paramref name="statement"/> was described with.</summary>
    public static void ThrowIfChanged(PgPreparedStatement statement, IReadOnlyList<TarnColumn> now)
    {
        if (statement.DescribedColumns is not { } then) return;
        var same = then.Count == now.Count;
        for (var i = 0; same && i < now.Count; i++)
            same = string.Equals(then[i].Name, now[i].Name, StringComparison.Ordinal) && PgTypeOids.For(then[i].Type) == PgTypeOids.For(now[i].Type);
        if (!same) throw new PgCachedPlanChangedException();
    }
}
