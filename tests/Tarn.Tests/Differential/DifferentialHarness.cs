using System.Text;
using Microsoft.Data.Sqlite;

namespace Tarn.Tests.Differential;

/// <summary>One seeded schema loaded into a fresh Tarn database and a fresh in-memory SQLite database.</summary>
internal sealed class DifferentialHarness : IDisposable
{
    private readonly string _directory;
    private readonly TarnDatabase _tarn;
    private readonly SqliteConnection _sqlite;

    public DifferentialHarness(int seed)
    {
        Seed = seed;
        Random = new Random(seed);
        Tables = RandomSchema.Generate(Random);
        _directory = Path.Combine(Path.GetTempPath(), "tarn-diff-" + Guid.NewGuid().ToString("N")[..10]);
        _tarn = TarnDatabase.Open(_directory);
        _sqlite = new SqliteConnection("Data Source=:memory:");
        _sqlite.Open();
        // SQLite's LIKE ignores ASCII case unless told otherwise; Flink's does not.
        ExecuteSqlite("PRAGMA case_sensitive_like = ON");
        foreach (var statement in RandomSchema.Statements(Tables))
        {
            _tarn.Execute(statement.Tarn);
            ExecuteSqlite(statement.Sqlite);
        }
    }

    public int Seed { get; }
    public Random Random { get; }
    public List<DiffTable> Tables { get; }

    /// <summary>The schema (not the rows) for a failure message; the seed regenerates everything.</summary>
    public string SchemaDescription =>
        string.Join("\n", Tables.Select(t => $"{t.Name}({string.Join(", ", t.Columns.Select(c => $"{c.Name} {RandomSchema.TarnType(c.Type)}{(c.NotNull ? " NOT NULL" : "")}"))}) -- {t.Rows.Count} rows"));

    public List<object?[]> QueryTarn(string sql)
    {
        var result = _tarn.Execute(sql);
        return ResultComparer.Normalize(result.Rows);
    }

    public List<object?[]> QuerySqlite(string sql)
    {
        using var command = _sqlite.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return ResultComparer.Normalize(rows);
    }

    private void ExecuteSqlite(string sql)
    {
        using var command = _sqlite.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A reproducible failure report.</summary>
    public string Report(int query, string problem, params (string Label, string Sql)[] statements)
    {
        var text = new StringBuilder();
        text.Append($"seed {Seed}, query #{query} (rerun: TARN_DIFF_SEED={Seed}): {problem}\n");
        foreach (var (label, sql) in statements)
            text.Append(label).Append(": ").Append(sql).Append('\n');
        text.Append("schema:\n").Append(SchemaDescription).Append('\n');
        return text.ToString();
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _tarn.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
