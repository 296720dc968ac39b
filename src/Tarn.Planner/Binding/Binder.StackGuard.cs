using System.Runtime.CompilerServices;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// Joins and set operations chained in one query (a JOIN b JOIN c ..., A UNION B UNION C ...). The parser accepts
    /// such chains at any length, but they become plans as deep as they are long and the optimizer and lowering
    /// recurse over plans; past this many the statement fails with SQLSTATE 54001 instead of overflowing the stack.
    /// </summary>
    private const int MaxChainedPlanNodes = 500;

    private int _chainedPlanNodes;

    /// <summary>
    /// The parser bounds parenthesized nesting but accepts left-deep chains (a OR b OR c ..., x + y + z ...) at any
    /// length, and binding recurses down them. Where the stack runs short this fails the statement with SQLSTATE 54001
    /// (PostgreSQL's "stack depth limit exceeded") instead of letting a stack overflow end the process.
    /// </summary>
    private static void EnsureStack(SourcePosition position)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(SqlStates.StatementTooComplex, "statement is too complex: an expression, join or set operation chain is too long", position);
    }

    /// <summary>Enters one join or set operation of a chain; dispose the result to leave it.</summary>
    private ChainScope EnterChain(SourcePosition position)
    {
        EnsureStack(position);
        if (_chainedPlanNodes >= MaxChainedPlanNodes)
            throw Error(SqlStates.StatementTooComplex, $"statement is too complex: more than {MaxChainedPlanNodes} chained joins or set operations", position);
        _chainedPlanNodes++;
        return new ChainScope(this);
    }

    private readonly struct ChainScope(Binder binder) : IDisposable
    {
        public void Dispose() => binder._chainedPlanNodes--;
    }
}
