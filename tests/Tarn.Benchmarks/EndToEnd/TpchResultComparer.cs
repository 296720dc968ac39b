using System.Globalization;
using DuckDB.NET.Data;
using Tarn.Execution.Formatting;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// Checks that Tarn and DuckDB gave the same answer to a query. Cells are compared as text after trimming CHAR
/// padding; numbers (DECIMAL in one engine may be DOUBLE in the other, e.g. AVG or a division) match when they differ
/// by at most half a cent or one part in 10^9. Rows are compared in order first; if that fails they are compared as
/// sorted lists, which tolerates rows that tie on the ORDER BY keys (reported as such).
/// </summary>
internal static class TpchResultComparer
{
    public static List<string[]> TarnRows(TarnResult result)
    {
        var rows = new List<string[]>();
        foreach (var batch in result.Batches)
        {
            for (var i = 0; i < batch.RowCount; i++)
            {
                var row = new string[batch.ColumnCount];
                for (var c = 0; c < row.Length; c++) row[c] = Normalize(ValueFormatter.Format(batch.Columns[c], i));
                rows.Add(row);
            }
        }
        return rows;
    }

    public static List<string[]> DuckRows(DuckDBConnection duck, string sql)
    {
        using var cmd = duck.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (r.Read())
        {
            var row = new string[r.FieldCount];
            for (var c = 0; c < row.Length; c++) row[c] = Normalize(r.IsDBNull(c) ? null : Text(r.GetValue(c)));
            rows.Add(row);
        }
        return rows;
    }

    private static string? Text(object value) => value switch
    {
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Normalize(string? cell) => cell is null ? "NULL" : cell.TrimEnd(' ');

    /// <summary>"ok", "ok (ties reordered)" or where the answers first differ.</summary>
    public static string Compare(List<string[]> tarn, List<string[]> duck)
    {
        if (tarn.Count != duck.Count) return $"DIFF: {tarn.Count} rows vs {duck.Count}";
        if (FirstDifference(tarn, duck) is not { } at) return "ok";
        var sortedTarn = tarn.OrderBy(r => string.Join("|", r), StringComparer.Ordinal).ToList();
        var sortedDuck = duck.OrderBy(r => string.Join("|", r), StringComparer.Ordinal).ToList();
        if (FirstDifference(sortedTarn, sortedDuck) is null) return "ok (ties reordered)";
        return $"DIFF row {at + 1}: {string.Join("|", tarn[at])} vs {string.Join("|", duck[at])}";
    }

    private static int? FirstDifference(List<string[]> a, List<string[]> b)
    {
        for (var r = 0; r < a.Count; r++)
        {
            if (a[r].Length != b[r].Length) return r;
            for (var c = 0; c < a[r].Length; c++)
                if (!CellsMatch(a[r][c], b[r][c])) return r;
        }
        return null;
    }

    private static bool CellsMatch(string a, string b)
    {
        if (a == b) return true;
        if (!double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) return false;
        if (!double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return false;
        var diff = Math.Abs(x - y);
        return diff <= 0.005 || diff <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));
    }
}
