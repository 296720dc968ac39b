using Tarn.Planner.Expressions;
using Tarn.Types;

namespace Tarn.Planner.Logical;

/// <summary>Literal rows (<c>VALUES</c>, or the single empty row of a SELECT without FROM).</summary>
public sealed record LogicalValues(IReadOnlyList<IReadOnlyList<BoundExpression>> Rows, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this;
    public override string Describe() => $"Values {Rows.Count} rows";
}

/// <summary>Keeps rows where <see cref="Predicate"/> is TRUE.</summary>
public sealed record LogicalFilter(LogicalPlan Input, BoundExpression Predicate) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Input.Output;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Filter {Predicate}";
}

/// <summary>Computes <see cref="Expressions"/> over each input row.</summary>
public sealed record LogicalProject(LogicalPlan Input, IReadOnlyList<BoundExpression> Expressions, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Project {string.Join(", ", Expressions.Select((e, i) => $"{e} AS {Columns[i].Name}"))}";
}

/// <summary>Groups by <see cref="Keys"/> and computes <see cref="Aggregates"/>; output is the keys, then the aggregates.</summary>
public sealed record LogicalAggregate(LogicalPlan Input, IReadOnlyList<BoundExpression> Keys, IReadOnlyList<AggregateCall> Aggregates, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Aggregate keys=[{string.Join(", ", Keys)}] aggs=[{string.Join(", ", Aggregates)}]";
}

/// <summary>One ORDER BY key: an output column of the input.</summary>
public sealed record SortKey(int Column, bool Descending, bool NullsFirst);

public sealed record LogicalSort(LogicalPlan Input, IReadOnlyList<SortKey> Keys) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Input.Output;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Sort {string.Join(", ", Keys.Select(k => $"#{k.Column}{(k.Descending ? " DESC" : "")}{(k.NullsFirst ? " NULLS FIRST" : " NULLS LAST")}"))}";
}

/// <summary>Skips <see cref="Offset"/> rows, then returns at most <see cref="Limit"/> (null = all).</summary>
public sealed record LogicalLimit(LogicalPlan Input, long? Limit, long Offset) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Input.Output;
    public override IReadOnlyList<LogicalPlan> Inputs => [Input];
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Input = inputs[0] };
    public override string Describe() => $"Limit {(Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "ALL")} offset {Offset}";
}

/// <summary>All rows of every input (same column types).</summary>
public sealed record LogicalUnionAll(IReadOnlyList<LogicalPlan> Children, IReadOnlyList<OutputColumn> Columns) : LogicalPlan
{
    public override IReadOnlyList<OutputColumn> Output => Columns;
    public override IReadOnlyList<LogicalPlan> Inputs => Children;
    public override LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs) => this with { Children = inputs };
    public override string Describe() => "UnionAll";
}

/// <summary>Helpers for building output column lists.</summary>
public static class OutputColumns
{
    public static IReadOnlyList<OutputColumn> Of(IEnumerable<(string Name, DataType Type)> columns) => columns.Select(c => new OutputColumn(c.Name, c.Type)).ToList();
}
