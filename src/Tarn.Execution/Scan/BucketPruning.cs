using System.Globalization;
using Tarn.Planner.Expressions;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Execution.Scan;

/// <summary>
/// A point lookup (every bucket-key column compared for equality with a literal, e.g. <c>WHERE pk = 42</c>) can only
/// match rows of one bucket (DB-011), so the scan reads that bucket alone. Only key types whose canonical text is the
/// literal's plain text are handled (integers and VARCHAR); other shapes read every bucket.
/// </summary>
public static class BucketPruning
{
    public static int? BucketOf(IReadOnlyList<BoundExpression> conjuncts, IReadOnlyList<int> columnIds, TableLayout layout)
    {
        if (layout.BucketCount == 1 || layout.BucketKeyColumnIds.Count == 0) return null;
        var texts = new string?[layout.BucketKeyColumnIds.Count];
        for (var k = 0; k < texts.Length; k++)
        {
            var id = layout.BucketKeyColumnIds[k];
            string? found = null;
            foreach (var c in conjuncts)
            {
                if (TryEquality(c, columnIds, id) is { } text) { found = text; break; }
            }
            if (found is null) return null;
            texts[k] = found;
        }
        return RowRouter.BucketOf(texts, layout.BucketCount);
    }

    private static string? TryEquality(BoundExpression e, IReadOnlyList<int> columnIds, int columnId)
    {
        if (e is not BoundComparison { Operator: ComparisonOperator.Equal } cmp) return null;
        var (col, lit) = (Column(cmp.Left), cmp.Right as BoundLiteral);
        if (col is null || lit is null)
            (col, lit) = (Column(cmp.Right), cmp.Left as BoundLiteral);
        if (col is null || lit?.Value is null || col.Index >= columnIds.Count || columnIds[col.Index] != columnId) return null;
        return CanonicalText(col.Type, lit);
    }

    /// <summary>The column, possibly under an implicit cast to a wider integer type (which keeps its canonical text).</summary>
    internal static BoundColumnRef? Column(BoundExpression e) => e switch
    {
        BoundColumnRef c => c,
        BoundCast { Mode: CastMode.Implicit, Operand: BoundColumnRef c } cast when c.Type.IsIntegral && cast.Type.IsIntegral => c,
        _ => null,
    };

    private static string? CanonicalText(DataType columnType, BoundLiteral lit)
    {
        if (columnType.IsIntegral && lit.Type.IsIntegral)
        {
            return lit.Value switch
            {
                long v => v.ToString(CultureInfo.InvariantCulture),
                int v => v.ToString(CultureInfo.InvariantCulture),
                short v => v.ToString(CultureInfo.InvariantCulture),
                sbyte v => v.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        if (columnType.Kind == TypeKind.Varchar && lit.Type.Kind is TypeKind.Varchar or TypeKind.Char && lit.Value is string s) return s;
        return null;
    }
}
