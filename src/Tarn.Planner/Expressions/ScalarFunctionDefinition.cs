namespace Tarn.Planner.Expressions;

/// <summary>
/// A scalar function the binder can call. <see cref="Bind"/> receives the bound arguments and returns the bound
/// call (usually a <see cref="BoundFunctionCall"/> with arguments cast to the signature's types), or <c>null</c>
/// when the argument types do not fit (the registry then reports 42883 with <see cref="Syntax"/>).
/// Every definition must have a matching kernel in the execution engine (Tarn.Execution's function library),
/// keyed by <see cref="Name"/>.
/// </summary>
public sealed class ScalarFunctionDefinition
{
    public ScalarFunctionDefinition(string name, string syntax, Func<IReadOnlyList<BoundExpression>, BoundExpression?> bind, params string[] aliases)
    {
        Name = name.ToUpperInvariant();
        Syntax = syntax;
        Bind = bind;
        Aliases = aliases;
    }

    /// <summary>Canonical upper-case name, used in <see cref="BoundFunctionCall.Name"/>.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Human-readable signature(s), e.g. <c>SUBSTRING(string, start [, length])</c>.</summary>
    public string Syntax { get; }

    public Func<IReadOnlyList<BoundExpression>, BoundExpression?> Bind { get; }
}
