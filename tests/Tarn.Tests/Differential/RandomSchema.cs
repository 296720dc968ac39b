using System.Globalization;

namespace Tarn.Tests.Differential;

internal enum ColumnType
{
    Int,
    BigInt,
    Double,
    Varchar,
    Boolean,
}

/// <summary>A column; NOT NULL columns hold no NULLs (Tarn needs them for NOT IN (subquery)).</summary>
internal sealed record DiffColumn(string Name, ColumnType Type, bool NotNull = false);

internal sealed record DiffTable(string Name, DiffColumn[] Columns, List<object?[]> Rows);

/// <summary>
/// A seeded random schema of 2–3 tables and their rows. Values come from small domains so that joins match, GROUP BY
/// makes real groups and DISTINCT/set operations meet duplicates; every column has NULLs. Integers stay small so that
/// no generated arithmetic can overflow (Flink wraps INT, SQLite promotes), doubles are multiples of 1/4 so that
/// sums and products are exact in both engines.
/// </summary>
internal static class RandomSchema
{
    public static readonly string[] Strings = ["", "a", "ab", "abc", "b", "B", "ba", "x_y", "a%b", "hello", "HELLO", " a", "z"];

    public static List<DiffTable> Generate(Random random)
    {
        var tables = new List<DiffTable>();
        var count = random.Next(2, 4);
        // The smallest table is sometimes empty: aggregates, outer joins and set operations over nothing.
        int[] sizes = [random.Next(100, 300), random.Next(20, 80), random.Next(6) == 0 ? 0 : random.Next(5, 30)];
        for (var t = 0; t < count; t++)
        {
            var columns = new DiffColumn[random.Next(2, 6)];
            for (var c = 0; c < columns.Length; c++)
                columns[c] = new DiffColumn($"c{c}", (ColumnType)random.Next(5), random.Next(4) == 0);
            var rows = new List<object?[]>();
            for (var r = 0; r < sizes[t]; r++)
            {
                if (rows.Count > 0 && random.Next(10) == 0)
                {
                    rows.Add(rows[random.Next(rows.Count)]);
                    continue;
                }
                var row = new object?[columns.Length];
                for (var c = 0; c < columns.Length; c++)
                    row[c] = !columns[c].NotNull && random.Next(8) == 0 ? null : Value(random, columns[c].Type);
                rows.Add(row);
            }
            tables.Add(new DiffTable($"t{t}", columns, rows));
        }
        return tables;
    }

    public static object Value(Random random, ColumnType type) => type switch
    {
        ColumnType.Int => random.Next(4) == 0 ? random.Next(-100, 101) : random.Next(-3, 6),
        ColumnType.BigInt => random.Next(4) == 0 ? (long)random.Next(-100_000, 100_001) : (long)random.Next(-3, 6),
        ColumnType.Double => random.Next(4) == 0 ? (double)random.Next(-1000, 1001) : random.Next(-40, 41) / 4.0,
        ColumnType.Varchar => Strings[random.Next(Strings.Length)],
        ColumnType.Boolean => random.Next(2) == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The largest magnitude a column of this type holds.</summary>
    public static double Bound(ColumnType type) => type switch
    {
        ColumnType.Int => 100,
        ColumnType.BigInt => 100_000,
        ColumnType.Double => 1000,
        _ => 0,
    };

    public static string Literal(object? value) => value switch
    {
        null => "NULL",
        int i => i < 0 ? $"({i})" : i.ToString(CultureInfo.InvariantCulture),
        long l => l < 0 ? $"({l})" : l.ToString(CultureInfo.InvariantCulture),
        double d => d < 0 ? $"({d.ToString("0.0###", CultureInfo.InvariantCulture)})" : d.ToString("0.0###", CultureInfo.InvariantCulture),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "TRUE" : "FALSE",
        _ => throw new ArgumentException($"unexpected value {value.GetType()}", nameof(value)),
    };

    public static string TarnType(ColumnType type) => type switch
    {
        ColumnType.Int => "INT",
        ColumnType.BigInt => "BIGINT",
        ColumnType.Double => "DOUBLE",
        ColumnType.Varchar => "VARCHAR",
        ColumnType.Boolean => "BOOLEAN",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string SqliteType(ColumnType type) => type switch
    {
        ColumnType.Int or ColumnType.BigInt or ColumnType.Boolean => "INTEGER",
        ColumnType.Double => "REAL",
        ColumnType.Varchar => "TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>CREATE TABLE and INSERT statements (same text for both engines apart from the column types).</summary>
    public static IEnumerable<DiffSql> Statements(IReadOnlyList<DiffTable> tables)
    {
        foreach (var table in tables)
        {
            yield return new DiffSql(
                $"CREATE TABLE {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name} {TarnType(c.Type)}{(c.NotNull ? " NOT NULL" : "")}"))})",
                $"CREATE TABLE {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name} {SqliteType(c.Type)}{(c.NotNull ? " NOT NULL" : "")}"))})");
            for (var start = 0; start < table.Rows.Count; start += 100)
            {
                var values = table.Rows.Skip(start).Take(100).Select(row => "(" + string.Join(", ", row.Select(Literal)) + ")");
                yield return DiffSql.Same($"INSERT INTO {table.Name} VALUES {string.Join(", ", values)}");
            }
        }
    }
}
