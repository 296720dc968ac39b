using System.Text;
using Tarn.Execution.Operators;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Tests;

/// <summary>Builds batches from rows of physical values and reads them back.</summary>
internal static class TestData
{
    public static ExecutionContext Context(int parallelism = 1, long memoryLimit = 0, int batchSize = 8192) => new()
    {
        Parallelism = parallelism,
        MemoryLimitBytes = memoryLimit <= 0 ? 1L << 34 : memoryLimit,
        BatchSize = batchSize,
        QueryStart = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero),
    };

    public static ColumnVector Column(DataType type, IReadOnlyList<object?> values)
    {
        var v = ColumnVector.Create(type, Math.Max(values.Count, 1));
        foreach (var x in values) PhysicalValues.Append(v, x);
        return v;
    }

    /// <summary>A string column as a dictionary vector (entries in a scrambled order, plus an unused entry).</summary>
    public static ColumnVector DictionaryColumn(DataType type, IReadOnlyList<object?> values)
    {
        var distinct = values.Where(v => v is not null).Select(v => (string)v!).Distinct(StringComparer.Ordinal).Reverse().ToList();
        distinct.Add("\u0001unused");
        var dict = new BinaryVector(type, distinct.Count);
        foreach (var s in distinct) dict.Append(s);
        var codes = new int[Math.Max(values.Count, 1)];
        byte[]? nulls = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                (nulls ??= new byte[Math.Max(values.Count, 1)])[i] = 1;
                codes[i] = 12345; // unspecified: operators must not read it
            }
            else codes[i] = distinct.IndexOf((string)values[i]!);
        }
        return new DictionaryVector(dict, codes, values.Count, nulls);
    }

    public static ColumnBatch Batch(IReadOnlyList<DataType> types, IReadOnlyList<object?[]> rows, bool dictionaryStrings = false)
    {
        var cols = new ColumnVector[types.Count];
        for (var c = 0; c < cols.Length; c++)
        {
            var values = rows.Select(r => r[c]).ToList();
            cols[c] = dictionaryStrings && types[c].IsString ? DictionaryColumn(types[c], values) : Column(types[c], values);
        }
        return new ColumnBatch(cols, rows.Count);
    }

    /// <summary>Splits rows into batches of the given size.</summary>
    public static List<ColumnBatch> Batches(IReadOnlyList<DataType> types, IReadOnlyList<object?[]> rows, int batchSize, bool dictionaryStrings = false)
    {
        var result = new List<ColumnBatch>();
        for (var i = 0; i < rows.Count; i += batchSize)
            result.Add(Batch(types, rows.Skip(i).Take(batchSize).ToList(), dictionaryStrings));
        return result;
    }

    public static InMemoryOperator Source(IReadOnlyList<DataType> types, IReadOnlyList<object?[]> rows, int batchSize = 1000, bool dictionaryStrings = false) =>
        new(types, Batches(types, rows, batchSize, dictionaryStrings));

    public static List<object?[]> Rows(ColumnBatch batch)
    {
        var rows = new List<object?[]>();
        for (var r = 0; r < batch.RowCount; r++)
        {
            var row = new object?[batch.ColumnCount];
            for (var c = 0; c < row.Length; c++) row[c] = PhysicalValues.Get(batch.Columns[c], r);
            rows.Add(row);
        }
        return rows;
    }

    public static List<object?[]> Drain(IBatchOperator op)
    {
        var rows = new List<object?[]>();
        using (op)
        {
            while (op.Next() is { } b)
            {
                Assert.True(b.RowCount > 0, "operators must not return empty batches");
                foreach (var c in b.Columns) Assert.Equal(b.RowCount, c.Count);
                rows.AddRange(Rows(b));
            }
        }
        return rows;
    }

    public static string Show(object? v) => v switch
    {
        null => "NULL",
        string s => "'" + s + "'",
        byte[] b => Convert.ToHexString(b),
        _ => v.ToString() ?? "",
    };

    public static string Show(object?[] row) => "(" + string.Join(", ", row.Select(Show)) + ")";

    public static string Show(IEnumerable<object?[]> rows) => string.Join("\n", rows.Select(Show));

    /// <summary>Structural equality of physical values; doubles equal within a relative tolerance when asked.</summary>
    public static bool Same(object? a, object? b, double tolerance = 0)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is double x && b is double y)
        {
            if (double.IsNaN(x) || double.IsNaN(y)) return double.IsNaN(x) && double.IsNaN(y);
            if (x == y) return true;
            return tolerance > 0 && Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
        }
        if (a is byte[] p && b is byte[] q) return p.AsSpan().SequenceEqual(q);
        return a.Equals(b);
    }

    public static bool SameRow(object?[] a, object?[] b, double tolerance = 0)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (!Same(a[i], b[i], tolerance)) return false;
        return true;
    }

    public static string Utf8(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));
}
