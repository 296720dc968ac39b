using System.Globalization;
using System.Text;

namespace Tarn.Tests.Differential;

/// <summary>
/// Compares two query results as multisets of rows. Values are normalized first: every number (and boolean, which
/// SQLite stores as 0/1) becomes a double, -0.0 becomes 0.0; strings stay strings. Doubles match within 1e-9
/// relative (absolute near zero).
/// </summary>
internal static class ResultComparer
{
    public static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        bool b => b ? 1.0 : 0.0,
        string s => s,
        double d => d == 0 ? 0.0 : d,
        float f => f == 0 ? 0.0 : (double)f,
        decimal m => (double)m,
        IConvertible c when value is sbyte or byte or short or ushort or int or uint or long or ulong => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"unexpected result value of type {value.GetType()}: {value}"),
    };

    public static List<object?[]> Normalize(IEnumerable<object?[]> rows)
    {
        var list = rows.Select(r => r.Select(Normalize).ToArray()).ToList();
        list.Sort(CompareRows);
        return list;
    }

    /// <summary>null if the (normalized, sorted) results are equal, else a description of the first difference.</summary>
    public static string? Difference(List<object?[]> expected, List<object?[]> actual)
    {
        if (expected.Count != actual.Count)
            return $"expected {expected.Count} rows, got {actual.Count}\n{Sample(expected, actual)}";
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Length != actual[i].Length)
                return $"expected {expected[i].Length} columns, got {actual[i].Length}";
            for (var c = 0; c < expected[i].Length; c++)
            {
                if (!Equal(expected[i][c], actual[i][c]))
                    return $"row {i} (sorted) differs: expected {Format(expected[i])}, got {Format(actual[i])}\n{Sample(expected, actual)}";
            }
        }
        return null;
    }

    private static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(1.0, Math.Max(Math.Abs(x), Math.Abs(y))),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => false,
    };

    private static int CompareRows(object?[] a, object?[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = CompareValues(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (double x, double y) => x.CompareTo(y),
        (double, _) => -1,
        (_, double) => 1,
        _ => string.CompareOrdinal((string)a, (string)b),
    };

    public static string Format(object?[] row) =>
        "(" + string.Join(", ", row.Select(v => v switch
        {
            null => "NULL",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            string s => "'" + s + "'",
            _ => v.ToString(),
        })) + ")";

    /// <summary>The rows only one side has (up to a few), for the failure message.</summary>
    private static string Sample(List<object?[]> expected, List<object?[]> actual)
    {
        var missing = Except(expected, actual);
        var extra = Except(actual, expected);
        var text = new StringBuilder();
        text.Append("missing (expected but not returned): ").AppendJoin(" ", missing.Take(8).Select(Format)).Append(missing.Count > 8 ? $" ... ({missing.Count})" : "").Append('\n');
        text.Append("unexpected (returned but not expected): ").AppendJoin(" ", extra.Take(8).Select(Format)).Append(extra.Count > 8 ? $" ... ({extra.Count})" : "");
        return text.ToString();
    }

    private static List<object?[]> Except(List<object?[]> left, List<object?[]> right)
    {
        var remaining = new List<object?[]>(right);
        var result = new List<object?[]>();
        foreach (var row in left)
        {
            var match = remaining.FindIndex(r => r.Length == row.Length && r.Zip(row).All(p => Equal(p.First, p.Second)));
            if (match >= 0) remaining.RemoveAt(match);
            else result.Add(row);
        }
        return result;
    }
}
