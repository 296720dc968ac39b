using Npgsql;
using NpgsqlTypes;

namespace Tarn.Benchmarks.PgWire;

/// <summary>
/// The round trips of the pgwire benchmark, side by side in one process: <c>SELECT 1</c> and a primary-key lookup
/// (<c>SELECT qty FROM lookup WHERE id = $1</c>) through Npgsql, which always speaks the extended protocol (unprepared:
/// Parse/Bind/Describe/Execute/Sync per command; prepared: Bind/Execute/Sync), and through a raw socket's simple Query.
/// </summary>
internal static partial class PgWireBenchmark
{
    private const int LookupRows = 1000;

    private static async Task<List<(string Name, (double P50, double P99) Latency)>> RoundTripsAsync(NpgsqlConnection conn, int port, int iterations)
    {
        await ExecAsync(conn, "CREATE TABLE lookup (id BIGINT, qty INT, PRIMARY KEY (id) NOT ENFORCED)");
        await ExecAsync(conn, "INSERT INTO lookup SELECT id, CAST(id % 100 AS INT) FROM (VALUES " + string.Join(", ", Enumerable.Range(0, LookupRows).Select(i => $"(CAST({i} AS BIGINT))")) + ") AS v(id)");
        Check(await ScalarAsync(conn, "SELECT count(*) FROM lookup"), LookupRows);
        var results = new List<(string, (double, double))>();

        results.Add(("SELECT 1 via Npgsql (Parse/Bind/Describe/Execute/Sync)", await LatencyAsync(iterations, async () =>
        {
            await using var cmd = new NpgsqlCommand("SELECT 1", conn);
            await cmd.ExecuteScalarAsync();
        })));

        await using (var prepared = new NpgsqlCommand("SELECT 1", conn))
        {
            await prepared.PrepareAsync();
            results.Add(("SELECT 1 via Npgsql, prepared (Bind/Execute/Sync)", await LatencyAsync(iterations, () => prepared.ExecuteScalarAsync())));
        }

        var key = 0L;
        results.Add(("SELECT qty FROM lookup WHERE id = $1 via Npgsql", await LatencyAsync(iterations, async () =>
        {
            await using var cmd = new NpgsqlCommand("SELECT qty FROM lookup WHERE id = $1", conn);
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key++ % LookupRows });
            await cmd.ExecuteScalarAsync();
        })));

        await using (var lookup = new NpgsqlCommand("SELECT qty FROM lookup WHERE id = $1", conn))
        {
            var parameter = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = 0 };
            lookup.Parameters.Add(parameter);
            await lookup.PrepareAsync();
            results.Add(("SELECT qty FROM lookup WHERE id = $1 via Npgsql, prepared", await LatencyAsync(iterations, () =>
            {
                parameter.TypedValue = key++ % LookupRows;
                return lookup.ExecuteScalarAsync();
            })));
        }

        using var raw = new RawClient(port);
        await raw.StartAsync();
        results.Add(("SELECT 1 via raw socket (simple Query)", await LatencyAsync(iterations, raw.SelectOneAsync)));
        return results;
    }
}
