using Tarn.Planner.Expressions;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Execution.Scan;

/// <summary>
/// <c>WHERE pk = literal</c> on a primary-key table: the scan reads the key's live row through the bucket's primary-key
/// index (<see cref="TableScan.PlanLookup"/>) instead of merging the whole bucket and filtering it. The filter above
/// the scan still runs, so the other conjuncts apply as before.
/// </summary>
public static class PointLookup
{
    /// <summary>The lookup scan for <paramref name="spec"/>, or null when the filters do not pin the key or the table is not indexable.</summary>
    public static TableScan? TryPlan(StorageEngine storage, ScanSpec spec, IReadOnlyList<BoundExpression> filters, IReadOnlyList<int> columnIds)
    {
        var layout = spec.Table.Layout;
        if (!TableScan.SupportsLookup(layout) || KeyOf(filters, columnIds, layout) is not { } key) return null;
        var bucket = spec.Bucket ?? (layout.BucketCount == 1 ? 0 : -1);
        if (bucket < 0) return null;
        return TableScan.PlanLookup(storage, spec, bucket, key);
    }

    /// <summary>Whether the filters compare the (one-column) primary key with a literal.</summary>
    public static bool PinsKey(IReadOnlyList<BoundExpression> filters, IReadOnlyList<int> columnIds, TableLayout layout) =>
        TableScan.SupportsLookup(layout) && KeyOf(filters, columnIds, layout) is not null;

    /// <summary>The compared value, under an implicit widening of an integer (which keeps its value).</summary>
    internal static BoundExpression Value(BoundExpression e) =>
        e is BoundCast { Mode: CastMode.Implicit, Operand: var operand } cast && cast.Type.IsIntegral && operand.Type.IsIntegral ? operand : e;

    /// <summary>The looked-up key as the index holds it: a long for integer keys, a string for VARCHAR keys.</summary>
    private static object? KeyOf(IReadOnlyList<BoundExpression> filters, IReadOnlyList<int> columnIds, TableLayout layout)
    {
        var keyId = layout.PrimaryKeyColumnIds[0];
        foreach (var f in filters)
        {
            if (f is not BoundComparison { Operator: ComparisonOperator.Equal } cmp) continue;
            var (col, lit) = (BucketPruning.Column(cmp.Left), Value(cmp.Right) as BoundLiteral);
            if (col is null || lit is null) (col, lit) = (BucketPruning.Column(cmp.Right), Value(cmp.Left) as BoundLiteral);
            if (col is null || lit?.Value is null || col.Index >= columnIds.Count || columnIds[col.Index] != keyId) continue;
            if (col.Type.IsIntegral && lit.Type.IsIntegral)
            {
                switch (lit.Value)
                {
                    case long v: return v;
                    case int v: return (long)v;
                    case short v: return (long)v;
                    case sbyte v: return (long)v;
                }
            }
            if (col.Type.Kind == TypeKind.Varchar && lit.Type.Kind == TypeKind.Varchar && lit.Value is string s) return s;
        }
        return null;
    }
}
