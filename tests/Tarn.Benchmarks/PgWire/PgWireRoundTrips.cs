using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Tarn.Benchmarks.PgWire;

/// <summary>
/// The round trips of the pgwire benchmark, side by side in one process: <c>SELECT 1</c> and a primary-key lookup
/// (<c>SELECT qty FROM lookup WHERE id = $1</c>) through Npgsql, which always speaks the extended protocol (unprepared:
/// Parse/Bind/Describe/Execute/Sync per command; prepared: Bind/Execute/Sync), and through a raw socket's simple Query.
/// Every case is warmed up first for a while: client and server code tier up (tiered JIT, dynamic PGO) only after
/// some thousand calls and a background compile, which 1000 iterations on a busy machine do not cover, and the first
/// case measured would otherwise pay for everyone's JIT.
/// </summary>
internal static partial class PgWireBenchmark
{
    private const int LookupRows = 1000;
    private static readonly TimeSpan WarmUpPerCase = TimeSpan.FromSeconds(2);

    private static async Task<List<(string Name, (double P50, double P99) Latency)>> RoundTripsAsync(NpgsqlConnection conn, int port, int iterations)
    {
        await ExecAsync(conn, "CREATE TABLE lookup (id BIGINT, qty INT, PRIMARY KEY (id) NOT ENFORCED)");
        await ExecAsync(conn, "INSERT INTO lookup SELECT id, CAST(id % 100 AS INT) FROM (VALUES " + string.Join(", ", Enumerable.Range(0, LookupRows).Select(i => $"(CAST({i} AS BIGINT))")) + ") AS v(id)");
        Check(await ScalarAsync(conn, "SELECT count(*) FROM lookup"), LookupRows);

        await using var preparedOne = new NpgsqlCommand("SELECT 1", conn);
        await preparedOne.PrepareAsync();
        await using var preparedLookup = new NpgsqlCommand("SELECT qty FROM lookup WHERE id = $1", conn);
        var key = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = 0 };
        preparedLookup.Parameters.Add(key);
        await preparedLookup.PrepareAsync();
        var next = 0L;
        using var raw = new RawClient(port);
        await raw.StartAsync();

        var cases = new List<(string Name, Func<Task> RoundTrip)>
        {
            ("SELECT 1 via Npgsql (Parse/Bind/Describe/Execute/Sync)", async () =>
            {
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync();
            }),
            ("SELECT 1 via Npgsql, prepared (Bind/Execute/Sync)", () => preparedOne.ExecuteScalarAsync()),
            ("SELECT qty FROM lookup WHERE id = $1 via Npgsql", async () =>
            {
                await using var cmd = new NpgsqlCommand("SELECT qty FROM lookup WHERE id = $1", conn);
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = next++ % LookupRows });
                await cmd.ExecuteScalarAsync();
            }),
            ("SELECT qty FROM lookup WHERE id = $1 via Npgsql, prepared", () =>
            {
                key.TypedValue = next++ % LookupRows;
                return preparedLookup.ExecuteScalarAsync();
            }),
            ("SELECT 1 via raw socket (simple Query)", raw.SelectOneAsync),
        };
        foreach (var (_, roundTrip) in cases)
        {
            var warm = Stopwatch.StartNew();
            for (var i = 0; i < 2000 || warm.Elapsed < WarmUpPerCase; i++) await roundTrip();
        }
        var results = new List<(string, (double, double))>();
        foreach (var (name, roundTrip) in cases) results.Add((name, await LatencyAsync(iterations, roundTrip)));
        return results;
    }
}
