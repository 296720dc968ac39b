using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>Grouping sets: key nullability, the set-index column, and GROUPING / GROUPING_ID / GROUP_ID.</summary>
public sealed partial class AggregationState
{
    /// <summary>
    /// For GROUPING SETS / ROLLUP / CUBE with more than one set: the key indexes of each set (in set order). The
    /// aggregation's output is then the keys, the set index (INT), then the aggregates. Null for a plain GROUP BY.
    /// </summary>
    public IReadOnlyList<int[]>? GroupingSets { get; init; }

    /// <summary>The output type of key <paramref name="index"/>: nullable when some grouping set leaves it out.</summary>
    public DataType KeyType(int index) => GroupingSets is null ? Keys[index].Type : Keys[index].Type.WithNullable(true);

    /// <summary>The output column of the first aggregate.</summary>
    public int AggregateOffset => Keys.Count + (GroupingSets is null ? 0 : 1);

    /// <summary>GROUPING(a, ...), GROUPING_ID(a, ...) and GROUP_ID(): functions of the grouping set, not of rows.</summary>
    public static bool IsGroupingFunction(FunctionCall f) => f.Name.Parts.Count == 1
        && f.Name.Name.Value.ToUpperInvariant() is "GROUPING" or "GROUPING_ID" or "GROUP_ID";

    /// <summary>
    /// GROUPING(a, b, ...) (= GROUPING_ID): a bit per argument, the first argument most significant, set when the
    /// grouping set does not group by it. GROUP_ID(): 0 for the first occurrence of a grouping set, 1 for its
    /// first duplicate, and so on. Both BIGINT, as in Flink.
    /// </summary>
    private BoundExpression BindGroupingFunction(Binder binder, FunctionCall f)
    {
        var name = f.Name.Name.Value.ToUpperInvariant();
        if (f.Distinct || f.Filter is not null)
            throw new TarnException(SqlStates.SyntaxError, $"{name} does not take DISTINCT or FILTER at {f.Position}", f.Position);
        var sets = GroupingSets ?? [Enumerable.Range(0, Keys.Count).ToArray()];
        var values = new long[sets.Count];
        if (name == "GROUP_ID")
        {
            if (f.Arguments.Count != 0)
                throw new TarnException(SqlStates.UndefinedFunction, $"GROUP_ID takes no arguments at {f.Position}", f.Position);
            for (var s = 0; s < sets.Count; s++)
                for (var earlier = 0; earlier < s; earlier++)
                    if (sets[earlier].AsSpan().SequenceEqual(sets[s])) values[s]++;
        }
        else
        {
            // GROUPING() without arguments stands for all grouping expressions in order (DuckDB)
            var arity = f.Arguments.Count == 0 ? Keys.Count : f.Arguments.Count;
            if (arity is 0 or > 63)
                throw new TarnException(SqlStates.UndefinedFunction, $"{name} takes 1 to 63 grouping expressions at {f.Position}", f.Position);
            for (var j = 0; j < arity; j++)
            {
                var key = f.Arguments.Count == 0 ? j : KeyIndexOf(binder, f.Arguments[j]);
                if (key < 0)
                    throw new TarnException(SqlStates.GroupingError, $"arguments to {name} must be grouping expressions of the associated query level at {f.Arguments[j].Position}", f.Arguments[j].Position);
                var bit = 1L << (arity - 1 - j);
                for (var s = 0; s < sets.Count; s++)
                    if (Array.IndexOf(sets[s], key) < 0) values[s] |= bit;
            }
        }
        return ValueBySet(values);
    }

    /// <summary>A constant when every set has the same value; otherwise CASE on the set-index column.</summary>
    private BoundExpression ValueBySet(long[] values)
    {
        var last = values.Length - 1;
        if (values.All(v => v == values[0])) return BoundLiteral.Of(values[0]);
        var setIndex = BoundExpressions.Column(Keys.Count, DataType.Int.WithNullable(false));
        var whens = new List<BoundWhen>();
        for (var s = 0; s < last; s++)
            if (values[s] != values[last])
                whens.Add(new BoundWhen(BoundExpressions.Compare(ComparisonOperator.Equal, setIndex, BoundLiteral.Of(s)), BoundLiteral.Of(values[s])));
        return BoundExpressions.Case(whens, BoundLiteral.Of(values[last]));
    }

    private int KeyIndexOf(Binder binder, Expression e)
    {
        for (var i = 0; i < _keyAst.Count; i++)
            if (_keyAst[i].Equals(e)) return i;
        if (Binder.ContainsAggregate(e)) return -1;
        var bound = binder.BindExpression(e, Input);
        return Keys.IndexOf(bound);
    }
}
