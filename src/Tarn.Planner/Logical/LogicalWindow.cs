using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Logical;

/// <summary>What a window function computes over its partition's rows.</summary>
public enum WindowFunctionKind : byte
{
    RowNumber,
    Rank,
    DenseRank,
    PercentRank,
    CumeDist,
    /// <summary>NTILE(n): argument 0 is the bucket count.</summary>
    Ntile,
    /// <summary>LAG(value [, offset [, default]]): arguments are value, offset, default (offset and default may be absent).</summary>
    Lag,
    Lead,
    FirstValue,
    LastValue,
    /// <summary>NTH_VALUE(value, n): the n-th row of the frame (1-based).</summary>
    NthValue,
    /// <summary>An aggregate (<see cref="WindowFunction.Aggregate"/>) over the frame.</summary>
    Aggregate,
}

public enum WindowFrameUnit : byte
{
    /// <summary>Offsets count rows.</summary>
    Rows,
    /// <summary>Offsets are distances in the (single) ORDER BY key's value; CURRENT ROW includes the row's peers.</summary>
    Range,
}

public enum WindowBoundKind : byte
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>One end of a frame. <see cref="Offset"/> is a constant for PRECEDING / FOLLOWING: a non-negative BIGINT
/// for ROWS; for RANGE a value of the ORDER BY key's type (or an interval for date/time keys).</summary>
public sealed record WindowBound(WindowBoundKind Kind, BoundExpression? Offset = null)
{
    public override string ToString() => Kind switch
    {
        WindowBoundKind.UnboundedPreceding => "UNBOUNDED PRECEDING",
        WindowBoundKind.UnboundedFollowing => "UNBOUNDED FOLLOWING",
        WindowBoundKind.CurrentRow => "CURRENT ROW",
        WindowBoundKind.Preceding => $"{Offset} PRECEDING",
        _ => $"{Offset} FOLLOWING",
    };
}

/// <summary>ROWS | RANGE BETWEEN start AND end.</summary>
public sealed record WindowFrameSpec(WindowFrameUnit Unit, WindowBound Start, WindowBound End)
{
    /// <summary>The SQL default with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included).</summary>
    public static WindowFrameSpec DefaultOrdered { get; } = new(WindowFrameUnit.Range, new(WindowBoundKind.UnboundedPreceding), new(WindowBoundKind.CurrentRow));

    /// <summary>The default without ORDER BY: the whole partition.</summary>
    public static WindowFrameSpec WholePartition { get; } = new(WindowFrameUnit.Rows, new(WindowBoundKind.UnboundedPreceding), new(WindowBoundKind.UnboundedFollowing));

    public override string ToString() => $"{Unit.ToString().ToUpperInvariant()} BETWEEN {Start} AND {End}";
}

/// <summary>
/// One window function call: <see cref="Arguments"/>, <see cref="PartitionBy"/> and <see cref="OrderBy"/> refer to the
/// window node's input columns. For <see cref="WindowFunctionKind.Aggregate"/>, <see cref="Aggregate"/> holds the call
/// (its argument and filter also over the input columns) and <see cref="Arguments"/> is empty.
/// </summary>
public sealed record WindowFunction(
    WindowFunctionKind Kind,
    IReadOnlyList<BoundExpression> Arguments,
    AggregateCall? Aggregate,
    IReadOnlyList<BoundExpression> PartitionBy,
    IReadOnlyList<BoundSortKey> OrderBy,
    WindowFrameSpec Frame,
    DataType Type)
{
    /// <summary>Whether two calls can share one sort of the input.</summary>
    public bool SameWindow(WindowFunction other) =>
        PartitionBy.SequenceEqual(other.PartitionBy) && OrderBy.SequenceEqual(other.OrderBy);

    /// <summary>The input columns the call reads.</summary>
    public IEnumerable<int> ReferencedColumns()
    {
        foreach (var e in Expressions())
            foreach (var c in e.ReferencedColumns())
                yield return c;
    }

    /// <summary>The same call with every expression rewritten (e.g. input columns renumbered).</summary>
    public WindowFunction MapExpressions(Func<BoundExpression, BoundExpression> map) => this with
    {
        Arguments = Arguments.Select(map).ToList(),
        Aggregate = Aggregate is null ? null : Aggregate with
        {
            Argument = Aggregate.Argument is null ? null : map(Aggregate.Argument),
            Filter = Aggregate.Filter is null ? null : map(Aggregate.Filter),
        },
        PartitionBy = PartitionBy.Select(map).ToList(),
        OrderBy = OrderBy.Select(k => k with { Expression = map(k.Expression) }).ToList(),
    };

    private IEnumerable<BoundExpression> Expressions()
    {
        foreach (var a in Arguments) yield return a;
        if (Aggregate?.Argument is { } argument) yield return argument;
        if (Aggregate?.Filter is { } filter) yield return filter;
        foreach (var p in PartitionBy) yield return p;
        foreach (var k in OrderBy) yield return k.Expression;
    }

    public override string ToString()
    {
        var call = Kind == WindowFunctionKind.Aggregate ? Aggregate!.ToString() : $"{Kind.ToString().ToUpperInvariant()}({string.Join(", ", Arguments)})";
        var parts = new List<string>();
        if (PartitionBy.Count > 0) parts.Add("PARTITION BY " + string.Join(", ", PartitionBy));
        if (OrderBy.Count > 0) parts.Add("ORDER BY " + string.Join(", ", OrderBy));
        parts.Add(Frame.ToString());
        return $"{call} OVER ({string.Join(" ", parts)})";
    }
}

/// <summary>
/// Window functions (OVER): every input row, in no particular order, with one more column per function holding its
/// value over the row's window. Runtime-neutral: the batch engine sorts and scans partitions, a streaming runtime
/// lowers the same node to OVER aggregates (or Top-N for ROW_NUMBER filters).
/// </summary>
public sealed record LogicalWindow(LogicalPlan Input, IReadOnlyList<WindowFunction> Functions, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Window [{string.Join(", ", Functions)}]";
}
