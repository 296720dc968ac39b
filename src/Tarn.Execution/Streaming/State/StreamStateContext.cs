using Tarn.State;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// The state store session of one running job (or streaming query) and the operator ids handed out while lowering its
/// plan. The session is created on first use, so a plan without stateful operators never opens a store.
/// </summary>
public sealed class StreamStateContext
{
    private readonly Func<StateSession>? _open;
    private StateSession? _session;
    private int _nextOperator = 1;

    public StreamStateContext(StateSession session) => _session = session;

    public StreamStateContext(Func<StateSession> open) => _open = open;

    private StreamStateContext() { }

    /// <summary>A context for lowering a plan only to check that it can run (at submission); its state is never touched.</summary>
    public static StreamStateContext ForValidation() => new();

    public StateSession Session => _session ??= _open?.Invoke() ?? throw new InvalidOperationException("state of a plan lowered for validation only");

    /// <summary>State for the next stateful operator; ids follow plan order, which is deterministic for one query.</summary>
    public OperatorState ForNextOperator() => new(this, _nextOperator++);

    /// <summary>True once some operator took state: only then does an epoch need a state checkpoint.</summary>
    public bool HasStatefulOperators => _nextOperator > 1;
}
