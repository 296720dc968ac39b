using CsCheck;
using Tarn.Server.PgWire.Catalog;

namespace Tarn.Server.Tests.PgWire;

/// <summary>The catalog rewriter and the OIDs, without a server.</summary>
public sealed class PgCatalogRewriterTests
{
    [Fact]
    public async Task RewritesOnlyRealReferencesAndOidsSurviveARestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgcat-" + Guid.NewGuid().ToString("N"));
        try
        {
            int oid;
            await using (var db = TarnDatabase.Open(directory))
            {
                await db.ExecuteAsync("CREATE TABLE t (a INT)");
                using var session = db.CreateSession();
                var snapshot = PgCatalogSnapshot.Take(session);
                oid = snapshot.Relations.Single(r => r.Name == "t").Oid;
                Assert.True(oid >= PgOids.FirstUserOid);

                // Nothing catalog-related outside strings and comments: left alone.
                Assert.Null(PgCatalogRewriter.Rewrite("SELECT 'pg_class', a FROM t -- pg_type", () => snapshot));
                Assert.Null(PgCatalogRewriter.Rewrite("INSERT INTO t VALUES (1)", () => snapshot));
                // A column qualified by the relation's implicit name keeps working; the string stays a string.
                var rewritten = PgCatalogRewriter.Rewrite("SELECT pg_class.relname, 'pg_type' FROM pg_catalog.pg_class WHERE pg_class.relname = 't'", () => snapshot);
                Assert.NotNull(rewritten);
                Assert.StartsWith("WITH `pg_class` AS (SELECT", rewritten, StringComparison.Ordinal);
                Assert.EndsWith("SELECT pg_class.relname, 'pg_type' FROM `pg_class` WHERE pg_class.relname = 't'", rewritten, StringComparison.Ordinal);
                var result = await session.ExecuteAsync(rewritten);
                Assert.Equal([["t", "pg_type"]], result.Rows.Select(r => r.Select(v => v?.ToString()).ToArray()).ToArray());
                // A user WITH keeps its own CTEs after the catalog's.
                rewritten = PgCatalogRewriter.Rewrite("WITH x AS (SELECT oid FROM information_schema.tables JOIN pg_class ON relname = table_name) SELECT COUNT(*) FROM x", () => snapshot);
                Assert.StartsWith("WITH `tables` AS (", rewritten, StringComparison.Ordinal);
                Assert.Contains("),\n`pg_class` AS (", rewritten, StringComparison.Ordinal);
                Assert.Contains(",\n x AS (SELECT oid FROM `tables` JOIN `pg_class` ON", rewritten, StringComparison.Ordinal);
            }
            await using (var db = TarnDatabase.Open(directory))
            {
                using var session = db.CreateSession();
                Assert.Equal(oid, PgCatalogSnapshot.Take(session).Relations.Single(r => r.Name == "t").Oid);
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Any text built from catalog-query fragments is answered, rewritten or passed on: never an unexpected exception.</summary>
    [Fact]
    public async Task ArbitraryCatalogishTextNeverThrows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgcat-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = TarnDatabase.Open(directory);
            await db.ExecuteAsync("CREATE TABLE t (a INT, PRIMARY KEY (a) NOT ENFORCED)");
            using var session = db.CreateSession();
            var snapshot = PgCatalogSnapshot.Take(session);
            string[] fragments =
            [
                "SELECT", "FROM", "WITH", "AS", "(", ")", ",", ".", ";", "'", "\"", "`", "E'", "--", "/*", "*/", "$1", "=", "'16384'",
                "pg_catalog", "pg_class", "information_schema", "tables", "public", "t", "c.oid", "c.relname", "n.nspname", "a.attrelid",
                "OPERATOR(pg_catalog.~)", "'^(t)$'", "version", "current_setting", "current_database", "\"Name\"", "\"Schema\"",
                "pg_catalog.pg_class c", "pg_catalog.pg_namespace n", "pg_catalog.pg_database d", "pg_catalog.pg_attribute a",
                "pg_catalog.pg_policy", "LEFT JOIN", "c.relkind IN ('r','v')", "SELECT c.relchecks, c.relkind", "FROM pg_type AS typ", "array_recv",
            ];
            Gen.Int[0, fragments.Length - 1].Select(i => fragments[i]).Array[0, 25].Select(parts => string.Join(' ', parts)).Sample(sql =>
            {
                _ = PgPsqlQueries.TryAnswer(sql, () => snapshot);
                _ = PgNpgsqlQueries.TryAnswer(sql);
                _ = PgCatalogRewriter.Rewrite(sql, () => snapshot);
                _ = PgSelectList.Items(sql);
                _ = PgCatalogScript.TrySplit(sql);
            }, iter: 3000);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public void SessionFunctionsBecomeNamedLiterals()
    {
        Assert.Equal("SELECT CAST('public' AS STRING) AS `current_schema`, CAST('UTF8' AS STRING) AS `current_setting`",
            PgCatalogRewriter.Rewrite("SELECT pg_catalog.current_schema(), current_setting('server_encoding')", () => throw new InvalidOperationException("no snapshot needed")));
        Assert.Equal("SELECT upper(CAST('public' AS STRING))", PgCatalogRewriter.Rewrite("SELECT upper(current_schema())", () => throw new InvalidOperationException()));
        Assert.Null(PgCatalogRewriter.Rewrite("SELECT current_setting('no_such_setting')", () => throw new InvalidOperationException()));
    }
}
