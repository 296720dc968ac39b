using Tarn.Execution.Operators;
using Tarn.Execution.WindowTvf;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Lowering;

public sealed partial class BatchPlanner
{
    /// <summary>
    /// TUMBLE, HOP and CUMULATE assign windows row by row; SESSION sorts by the partition columns and time first,
    /// so each partition's rows arrive in time order and a session ends where the next row is more than the gap away.
    /// </summary>
    private IBatchOperator LowerWindowTvf(LogicalWindowTvf window)
    {
        if (window.Kind != WindowTvfKind.Session)
            return new WindowTvfOperator(Lower(window.Input), window, context);
        var output = window.Input.Output;
        var keys = new List<BoundSortKey>();
        foreach (var c in window.PartitionColumns) keys.Add(new BoundSortKey(BoundExpressions.Column(c, output[c].Type)));
        keys.Add(new BoundSortKey(BoundExpressions.Column(window.TimeColumn, output[window.TimeColumn].Type), NullsFirst: false));
        return new SessionWindowOperator(new SortOperator(LowerUnordered(window.Input), keys, context), window, context);
    }
}
