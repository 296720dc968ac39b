namespace Tarn.Sql.Ast;

/// <summary>One comma-separated element of GROUP BY; the grouping is the cross product of all elements.</summary>
public abstract record GroupingElement(SourcePosition Position) : Node(Position);

/// <summary>A plain GROUP BY expression.</summary>
public sealed record ExpressionGrouping(Expression Expression, SourcePosition Position) : GroupingElement(Position);

/// <summary>GROUPING SETS ((a, b), (a), ()).</summary>
public sealed record GroupingSets(NodeList<GroupingSet> Sets, SourcePosition Position) : GroupingElement(Position);

/// <summary>One set of a GROUPING SETS list; empty for (). A nested GROUPING SETS, ROLLUP or CUBE is <see cref="Nested"/> instead.</summary>
public sealed record GroupingSet(NodeList<Expression> Expressions, SourcePosition Position) : Node(Position)
{
    /// <summary>GROUPING SETS (CUBE (a), GROUPING SETS (b, ())): the sets of the nested element (SQL standard); its expressions are then empty.</summary>
    public GroupingElement? Nested { get; init; }
}

/// <summary>ROLLUP (a, b, ...). A parenthesized composite (a, b) arrives as a <see cref="RowConstructor"/>.</summary>
public sealed record Rollup(NodeList<Expression> Expressions, SourcePosition Position) : GroupingElement(Position);

/// <summary>CUBE (a, b, ...). A parenthesized composite (a, b) arrives as a <see cref="RowConstructor"/>.</summary>
public sealed record Cube(NodeList<Expression> Expressions, SourcePosition Position) : GroupingElement(Position);
