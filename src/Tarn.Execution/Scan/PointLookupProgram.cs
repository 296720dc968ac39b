using System.Globalization;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Storage.Engine;
using Tarn.Storage.Scans;
using Tarn.Storage.Tables;
using Tarn.Vectors;

namespace Tarn.Execution.Scan;

/// <summary>
/// The whole of <c>SELECT columns FROM t WHERE pk = ?</c> on a primary-key table, without operators: route the key
/// to its bucket, find its live row through the bucket's primary-key index, and return the requested columns of
/// that row. Only for plans whose filter says nothing but "the key equals this value" (so the index lookup is the
/// filter) and whose projection only picks columns; anything else runs through the normal operators.
/// </summary>
public sealed class PointLookupProgram
{
    private readonly long _tableId;
    private readonly IReadOnlyList<int> _columnIds;
    private readonly int[] _outputs;
    private readonly int _slot;
    private readonly object? _constantKey;
    private readonly bool _integralKey;

    private PointLookupProgram(long tableId, IReadOnlyList<int> columnIds, int[] outputs, int slot, object? constantKey, bool integralKey)
    {
        _tableId = tableId;
        _columnIds = columnIds;
        _outputs = outputs;
        _slot = slot;
        _constantKey = constantKey;
        _integralKey = integralKey;
    }

    /// <summary>
    /// The program for <paramref name="plan"/> (optimized; parameters as <see cref="BoundParameter"/> slots or
    /// literals), or null when the plan has another shape.
    /// </summary>
    public static PointLookupProgram? TryCreate(LogicalPlan plan)
    {
        IReadOnlyList<BoundExpression>? projections = null;
        if (plan is LogicalProject project)
        {
            projections = project.Expressions;
            plan = project.Input;
        }
        if (plan is not LogicalFilter { Input: LogicalScan { Version: ScanVersion.LatestVersion } scan } filter) return null;
        var layout = scan.Storage.Layout;
        if (!TableScan.SupportsLookup(layout)) return null;
        if (layout.BucketCount != 1 && !(layout.BucketKeyColumnIds.Count == 1 && layout.BucketKeyColumnIds[0] == layout.PrimaryKeyColumnIds[0])) return null;
        var keyId = layout.PrimaryKeyColumnIds[0];
        var slot = -2;
        object? constant = null;
        bool? integral = null;
        foreach (var conjunct in Conjuncts(filter.Predicate))
        {
            if (conjunct is not BoundComparison { Operator: ComparisonOperator.Equal } cmp) return null;
            var (column, value) = (BucketPruning.Column(cmp.Left), PointLookup.Value(cmp.Right));
            if (column is null) (column, value) = (BucketPruning.Column(cmp.Right), PointLookup.Value(cmp.Left));
            if (column is null || column.Index >= scan.ColumnIds.Count || scan.ColumnIds[column.Index] != keyId) return null;
            bool isIntegral;
            if (column.Type.IsIntegral && value.Type.IsIntegral) isIntegral = true;
            else if (column.Type.Kind == Types.TypeKind.Varchar && value.Type.Kind == Types.TypeKind.Varchar) isIntegral = false;
            else return null;
            int thisSlot;
            object? thisConstant = null;
            switch (value)
            {
                case BoundParameter p: thisSlot = p.Index; break;
                case BoundLiteral { Value: not null } l: thisSlot = -1; thisConstant = Normalize(l.Value); break;
                default: return null;
            }
            if (thisSlot == -1 && thisConstant is null) return null;
            // Every conjunct must compare the key with the same value.
            if (slot != -2 && (slot != thisSlot || !Equals(constant, thisConstant) || integral != isIntegral)) return null;
            (slot, constant, integral) = (thisSlot, thisConstant, isIntegral);
        }
        if (integral is null) return null;
        int[] outputs;
        if (projections is null)
        {
            outputs = new int[scan.ColumnIds.Count];
            for (var i = 0; i < outputs.Length; i++) outputs[i] = i;
        }
        else
        {
            outputs = new int[projections.Count];
            for (var i = 0; i < outputs.Length; i++)
            {
                if (projections[i] is not BoundColumnRef c || c.Type != scan.Columns[c.Index].Type) return null;
                outputs[i] = c.Index;
            }
        }
        return new PointLookupProgram(scan.Table.TableId, scan.ColumnIds, outputs, slot, constant, integral.Value);
    }

    private static IEnumerable<BoundExpression> Conjuncts(BoundExpression e)
    {
        if (e is BoundLogical { Operator: LogicalOperator.And } and)
        {
            foreach (var o in and.Operands)
                foreach (var c in Conjuncts(o)) yield return c;
        }
        else yield return e;
    }

    /// <summary>A key value as the index holds it (long for integers, string for VARCHAR), or null.</summary>
    private static object? Normalize(object value) => value switch
    {
        long v => v,
        int v => (long)v,
        short v => (long)v,
        sbyte v => (long)v,
        byte v => (long)v,
        ushort v => (long)v,
        uint v => (long)v,
        string s => s,
        char c => c.ToString(),
        _ => null,
    };

    /// <summary>
    /// The result batches (none or one of one row), or null when the lookup cannot be served this way now (the
    /// table was dropped or changed under the lookup); the caller then runs the plan normally.
    /// </summary>
    public IReadOnlyList<ColumnBatch>? Execute(StorageEngine storage, IReadOnlyList<object?> parameters)
    {
        var key = _slot < 0 ? _constantKey : parameters[_slot] is { } v ? Normalize(v) : null;
        if (key is null || (key is long) != _integralKey) return null;
        var table = storage.GetTable(_tableId);
        if (table is null) return null;
        var layout = table.Layout;
        var text = key is long l ? l.ToString(CultureInfo.InvariantCulture) : (string)key;
        var bucket = RowRouter.BucketOf([text], layout.BucketCount);
        var spec = new ScanSpec { Table = table, ColumnIds = _columnIds, Bucket = bucket };
        using var scan = TableScan.PlanLookup(storage, spec, bucket, key);
        if (scan is null) return null;
        if (scan.Morsels.Count == 0) return [];
        var batch = scan.Morsels[0].Read();
        if (batch.RowCount == 0) return [];
        var columns = new ColumnVector[_outputs.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = batch.Columns[_outputs[i]];
        return [new ColumnBatch(columns, batch.RowCount)];
    }
}
