using Tarn.State;
using Tarn.Storage.Format;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// One stateful operator's slice of its job's FASTER store: every key it writes starts with its operator id (assigned
/// in plan order, so the same query gets the same ids after a restart) and a namespace byte for the kind of entry.
/// </summary>
public sealed class OperatorState
{
    private readonly ByteWriter _key = new(64);
    private readonly StreamStateContext _context;

    public OperatorState(StreamStateContext context, int operatorId)
    {
        _context = context;
        OperatorId = operatorId;
    }

    /// <summary>The job's state session (opened on first use).</summary>
    public StateSession Session => _context.Session;

    public int OperatorId { get; }

    /// <summary>Starts a key in namespace <paramref name="space"/>; append the key's own bytes to the returned writer.</summary>
    public ByteWriter BeginKey(byte space)
    {
        _key.Clear();
        _key.WriteInt32(OperatorId);
        _key.WriteByte(space);
        return _key;
    }

    /// <summary>Writes the prefix of namespace <paramref name="space"/> into <paramref name="w"/>.</summary>
    public void WritePrefix(ByteWriter w, byte space)
    {
        w.WriteInt32(OperatorId);
        w.WriteByte(space);
    }

    public const int PrefixLength = 5;
}
