namespace Tarn.Sql.Ast;

/// <summary>
/// The window of OVER (...) or of a WINDOW clause entry. <c>OVER w</c> is a specification with only
/// <see cref="BaseWindow"/> set; <c>OVER (w ORDER BY x)</c> refines a named window.
/// </summary>
public sealed record WindowSpecification(
    Identifier? BaseWindow,
    NodeList<Expression> PartitionBy,
    NodeList<OrderItem> OrderBy,
    WindowFrame? Frame,
    SourcePosition Position) : Node(Position);

public enum FrameUnit
{
    Rows,
    Range,
}

/// <summary>ROWS | RANGE BETWEEN start AND end, or ROWS | RANGE start (then <see cref="End"/> is null, meaning CURRENT ROW).</summary>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End, SourcePosition Position) : Node(Position);

public enum FrameBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>One end of a frame; <see cref="Offset"/> is set for n PRECEDING / n FOLLOWING (n may be an interval).</summary>
public sealed record FrameBound(FrameBoundKind Kind, Expression? Offset, SourcePosition Position) : Node(Position);

/// <summary>WINDOW name AS (specification) in a SELECT.</summary>
public sealed record WindowDefinition(Identifier Name, WindowSpecification Specification, SourcePosition Position) : Node(Position);
