using Tarn.Execution.Streaming.Operators;
using Tarn.Planner.Logical;

namespace Tarn.Execution.Streaming.Lowering;

public sealed partial class StreamPlanner
{
    /// <summary>
    /// A window join (<see cref="WindowJoins"/>): joins each window once when the watermark closes it and forgets it,
    /// instead of a regular join whose state never expires. Returns false when the join is not a window join.
    /// </summary>
    private bool TryLowerWindowJoin(LogicalJoin join, IChangeConsumer output)
    {
        if (WindowJoins.Match(join) is not { } m) return false;
        var op = new StreamWindowJoin(join.Kind, [.. join.Left.Output.Select(c => c.Type)], [.. join.Right.Output.Select(c => c.Type)],
            m.LeftKeys, m.RightKeys, m.Residual, m.LeftWindowEnd, m.RightWindowEnd, [.. join.Columns.Select(c => c.Type)],
            state.ForNextOperator(), context, output);
        LowerNode(join.Left, op.Left);
        LowerNode(join.Right, op.Right);
        return true;
    }
}
