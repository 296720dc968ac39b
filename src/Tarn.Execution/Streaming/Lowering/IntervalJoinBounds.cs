using Tarn.Planner.Expressions;
using Tarn.Planner.Optimizer;
using Tarn.Types;

namespace Tarn.Execution.Streaming.Lowering;

/// <summary>
/// The time bounds of an interval join (Flink's IntervalJoin): conjuncts of the join condition that bound a left time
/// column against a right one, e.g. <c>l.ts BETWEEN r.ts - INTERVAL '5' SECOND AND r.ts + INTERVAL '1' SECOND</c>,
/// give <c>l.ts - r.ts</c> in [<see cref="Lower"/>, <see cref="Upper"/>] (microseconds; null = unbounded). With a
/// lower bound, a left row can match no right row newer than the right input's watermark once it is old enough, so it
/// can leave state; with an upper bound, likewise a right row.
/// </summary>
public sealed record IntervalJoinBounds(int LeftTimeColumn, int RightTimeColumn, long? Lower, long? Upper)
{
    /// <summary>Microseconds per millisecond (watermarks are in milliseconds; TIMESTAMP(0..6) values in microseconds).</summary>
    public const long UnitsPerMilli = 1000;

    /// <summary>The bounds found in <paramref name="condition"/> (over the left columns, then the right ones), or null.</summary>
    public static IntervalJoinBounds? Find(BoundExpression? condition, int leftCount)
    {
        if (condition is null) return null;
        int leftColumn = -1, rightColumn = -1;
        long? lower = null, upper = null;
        foreach (var c in ExpressionRewriter.Conjuncts(condition))
        {
            if (c is not BoundComparison cmp || TimeTerm(cmp.Left) is not { } left || TimeTerm(cmp.Right) is not { } right) continue;
            var (a, aOffset) = left;
            var (b, bOffset) = right;
            var op = cmp.Operator;
            // a + aOffset op b + bOffset  ⇔  a - b op bOffset - aOffset
            var bound = bOffset - aOffset;
            int l, r;
            if (a < leftCount && b >= leftCount) (l, r) = (a, b - leftCount);
            else if (b < leftCount && a >= leftCount)
            {
                (l, r) = (b, a - leftCount);
                bound = -bound; // b - a op' -(bOffset - aOffset), with op mirrored
                op = Mirror(op);
            }
            else continue;
            if (leftColumn >= 0 && (l != leftColumn || r != rightColumn)) continue;
            switch (op)
            {
                case ComparisonOperator.Less: upper = Min(upper, bound - 1); break;
                case ComparisonOperator.LessOrEqual: upper = Min(upper, bound); break;
                case ComparisonOperator.Greater: lower = Max(lower, bound + 1); break;
                case ComparisonOperator.GreaterOrEqual: lower = Max(lower, bound); break;
                case ComparisonOperator.Equal: upper = Min(upper, bound); lower = Max(lower, bound); break;
                default: continue;
            }
            (leftColumn, rightColumn) = (l, r);
        }
        return leftColumn < 0 ? null : new IntervalJoinBounds(leftColumn, rightColumn, lower, upper);
    }

    private static long Min(long? a, long b) => a is { } x ? Math.Min(x, b) : b;

    private static long Max(long? a, long b) => a is { } x ? Math.Max(x, b) : b;

    private static ComparisonOperator Mirror(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };

    /// <summary>A microsecond timestamp column plus or minus constant day-time intervals: (column, offset).</summary>
    private static (int Column, long Offset)? TimeTerm(BoundExpression e)
    {
        switch (e)
        {
            case BoundColumnRef c when IsMicroTimestamp(c.Type):
                return (c.Index, 0);
            case BoundCast { Operand: var operand } cast when IsMicroTimestamp(cast.Type) && IsMicroTimestamp(operand.Type)
                && cast.Type.Precision >= operand.Type.Precision:
                return TimeTerm(operand);
            case BoundArithmetic { Operator: ArithmeticOperator.Add or ArithmeticOperator.Subtract } a
                when IsMicroTimestamp(a.Type) && a.Right is BoundLiteral { Value: long interval } lit && lit.Type.Kind == TypeKind.IntervalDayTime:
                if (TimeTerm(a.Left) is not { } inner) return null;
                return (inner.Column, a.Operator == ArithmeticOperator.Add ? inner.Offset + interval : inner.Offset - interval);
            case BoundArithmetic { Operator: ArithmeticOperator.Add } a
                when IsMicroTimestamp(a.Type) && a.Left is BoundLiteral { Value: long interval } lit && lit.Type.Kind == TypeKind.IntervalDayTime:
                if (TimeTerm(a.Right) is not { } term) return null;
                return (term.Column, term.Offset + interval);
            default:
                return null;
        }
    }

    private static bool IsMicroTimestamp(DataType type) => type.IsTimestamp && type.Precision <= 6;
}
