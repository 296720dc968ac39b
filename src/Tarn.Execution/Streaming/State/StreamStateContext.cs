using Tarn.State;

namespace Tarn.Execution.Streaming.State;

/// <summary>The state store session of one running job and the operator ids handed out while lowering its plan.</summary>
public sealed class StreamStateContext(StateSession session)
{
    private int _nextOperator = 1;

    /// <summary>A context for lowering a plan only to check that it can run (at submission); its state is never touched.</summary>
    public static StreamStateContext ForValidation() => new(null!);

    public StateSession Session { get; } = session;

    /// <summary>State for the next stateful operator; ids follow plan order, which is deterministic for one query.</summary>
    public OperatorState ForNextOperator() => new(Session, _nextOperator++);

    /// <summary>True once some operator took state: only then does an epoch need a state checkpoint.</summary>
    public bool HasStatefulOperators => _nextOperator > 1;
}
