using System.Globalization;
using Tarn.Execution.Formatting;
using Tarn.Types;

namespace Tarn.Tests.Tpch;

/// <summary>
/// Compares a query result with a TPC-H answer file (<c>|</c>-separated, header line, values as DuckDB printed them).
/// Rules, per column type of Tarn's result:
/// <list type="bullet">
/// <item>rows in order (every query orders its output, and sf0.01 has no ties in the ORDER BY keys that matter);</item>
/// <item>an empty answer field is NULL;</item>
/// <item>DECIMAL: exact when the answer has no more fraction digits than the result's scale; when it has more (the
/// answer was computed in DOUBLE or at a wider scale, e.g. AVG), the result must be the answer rounded to the
/// result's scale (within one unit of its last digit);</item>
/// <item>DOUBLE/FLOAT: relative difference ≤ 1e-9, or equal at the answer's printed digits;</item>
/// <item>integers and dates exactly; VARCHAR exactly, CHAR(n) without its blank padding (the answers are unpadded).</item>
/// </list>
/// </summary>
public static class TpchAnswer
{
    public static void AssertMatches(int q, TarnResult result)
    {
        var lines = File.ReadAllLines(TpchData.AnswerPath(q));
        var header = lines[0].Split('|');
        Assert.True(header.Length == result.Columns.Count, $"q{q:00}: {result.Columns.Count} columns, answer has {header.Length}");
        var expected = lines.Skip(1).Select(l => l.Split('|')).ToList();
        var actual = Render(result);
        Assert.True(expected.Count == actual.Count,
            $"q{q:00}: {actual.Count} rows, answer has {expected.Count}; first rows: {string.Join(" / ", actual.Take(3).Select(r => string.Join("|", r)))}");
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < header.Length; c++)
            {
                var type = result.Columns[c].Type;
                if (!CellMatches(type, expected[r][c], actual[r][c]))
                    Assert.Fail($"q{q:00} row {r + 1} column {header[c]} ({type.ToSql()}): expected '{expected[r][c]}', got '{actual[r][c] ?? "NULL"}'\n" +
                                $"expected row: {string.Join("|", expected[r])}\nactual row:   {string.Join("|", actual[r].Select(v => v ?? "NULL"))}");
            }
        }
    }

    private static List<string?[]> Render(TarnResult result)
    {
        var rows = new List<string?[]>();
        foreach (var batch in result.Batches)
        {
            for (var i = 0; i < batch.RowCount; i++)
            {
                var row = new string?[batch.ColumnCount];
                for (var c = 0; c < row.Length; c++) row[c] = ValueFormatter.Format(batch.Columns[c], i);
                rows.Add(row);
            }
        }
        return rows;
    }

    internal static bool CellMatches(DataType type, string expected, string? actual)
    {
        if (actual is null) return expected.Length == 0;
        if (expected.Length == 0) return false;
        switch (type.Kind)
        {
            case TypeKind.Decimal:
            {
                var e = decimal.Parse(expected, NumberStyles.Float, CultureInfo.InvariantCulture);
                var a = decimal.Parse(actual, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (FractionDigits(expected) <= type.Scale) return e == a;
                return Math.Abs(e - a) <= Unit(type.Scale);
            }
            case TypeKind.Double or TypeKind.Float:
            {
                var e = double.Parse(expected, NumberStyles.Float, CultureInfo.InvariantCulture);
                var a = double.Parse(actual, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (e == a || Math.Abs(e - a) <= 1e-9 * Math.Max(Math.Abs(e), Math.Abs(a))) return true;
                return Math.Round(a, FractionDigits(expected), MidpointRounding.AwayFromZero) == e;
            }
            case TypeKind.Char:
                return expected.TrimEnd(' ') == actual.TrimEnd(' ');
            default:
                return expected == actual;
        }
    }

    private static int FractionDigits(string number)
    {
        var s = number.Split('e', 'E')[0];
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : s.Length - dot - 1;
    }

    private static decimal Unit(int scale)
    {
        var u = 1m;
        for (var i = 0; i < scale; i++) u /= 10;
        return u;
    }
}
