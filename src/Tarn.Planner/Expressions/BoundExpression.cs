using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// A resolved, typed scalar expression: what the binder produces and the execution engine compiles into
/// vector kernels. Nodes are immutable records compared structurally. <see cref="Type"/> is the SQL type of
/// the result, including whether it can be NULL.
/// <para>Operands do not need to have the same type as each other: the compiler inserts the widening casts
/// that <see cref="TypeRules"/> implies. Build nodes through <see cref="BoundExpressions"/>, which computes
/// result types and rejects ill-typed combinations with a <see cref="TarnException"/>.</para>
/// </summary>
public abstract record BoundExpression(DataType Type)
{
    /// <summary>Direct sub-expressions, in evaluation order.</summary>
    public abstract IEnumerable<BoundExpression> Children { get; }

    /// <summary>True when the expression reads no column and no parameter (it can be folded to a constant).</summary>
    public bool IsConstant
    {
        get
        {
            if (this is BoundColumnRef or BoundParameter) return false;
            foreach (var c in Children)
                if (!c.IsConstant) return false;
            return true;
        }
    }

    /// <summary>Calls <paramref name="visit"/> on this node and every descendant, parents first.</summary>
    public void Walk(Action<BoundExpression> visit)
    {
        visit(this);
        foreach (var c in Children) c.Walk(visit);
    }

    /// <summary>
    /// True when the expression calls a function that returns a new value on every evaluation (RAND, RAND_INTEGER,
    /// UUID, NEXTVAL, CURRVAL): it must be evaluated once per row where it was written, never folded, moved or duplicated.
    /// </summary>
    public bool IsVolatile
    {
        get
        {
            var result = false;
            Walk(e => result |= e is BoundFunctionCall { Name: "RAND" or "RANDOM" or "RAND_INTEGER" or "UUID" or "NEXTVAL" or "CURRVAL" });
            return result;
        }
    }

    /// <summary>The input column indexes this expression reads.</summary>
    public IReadOnlySet<int> ReferencedColumns()
    {
        var set = new SortedSet<int>();
        Walk(e => { if (e is BoundColumnRef c) set.Add(c.Index); });
        return set;
    }
}

/// <summary>Input column <paramref name="Index"/> of the operator's input batch.</summary>
public sealed record BoundColumnRef(int Index, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [];
    public override string ToString() => $"#{Index}";
}

/// <summary>
/// A query parameter (<c>?</c> or <c>$n</c>), 0-based <paramref name="Index"/> into
/// <c>ExecutionContext.Parameters</c>. The value is converted to <see cref="BoundExpression.Type"/> at execution
/// start (as the API's <c>ValueConverter.AppendClr</c> would); a type of kind <see cref="TypeKind.Null"/>
/// means "whatever the CLR value is".
/// </summary>
public sealed record BoundParameter(int Index, DataType Type) : BoundExpression(Type)
{
    public override IEnumerable<BoundExpression> Children => [];
    public override string ToString() => $"${Index + 1}";
}
