using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Tarn.State.Typed;

/// <summary>
/// Typed map over one namespace of the store (STATE-011). Every key is stored as the 4-byte big-endian
/// <see cref="StateId"/> followed by the key codec's bytes, so many operators and tables share one store without
/// colliding. Bound to a session, so like the session it is used from one thread at a time.
/// </summary>
public sealed class KeyedState<TKey, TValue>
{
    private readonly StateSession _session;
    private readonly IStateCodec<TKey> _keyCodec;
    private readonly IStateCodec<TValue> _valueCodec;
    private readonly byte[] _prefix = new byte[4];
    private readonly ArrayBufferWriter<byte> _key = new(64);
    private readonly ArrayBufferWriter<byte> _value = new(256);

    public KeyedState(StateSession session, int stateId, IStateCodec<TKey> keyCodec, IStateCodec<TValue> valueCodec)
    {
        _session = session;
        _keyCodec = keyCodec;
        _valueCodec = valueCodec;
        StateId = stateId;
        BinaryPrimitives.WriteInt32BigEndian(_prefix, stateId);
    }

    public int StateId { get; }

    /// <summary>The 4 bytes every key of this state starts with.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_session.TryRead(EncodeKey(key), out ReadOnlySpan<byte> bytes))
        {
            value = _valueCodec.Read(bytes);
            return true;
        }
        value = default;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        _value.ResetWrittenCount();
        _valueCodec.Write(value, _value);
        _session.Upsert(EncodeKey(key), _value.WrittenSpan);
    }

    public void Remove(TKey key) => _session.Delete(EncodeKey(key));

    /// <summary>All entries of this state; a pass over the whole log (see <see cref="StatePrefixScan"/>).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries()
    {
        using var scan = _session.ScanPrefix(_prefix);
        while (scan.MoveNext())
            yield return new KeyValuePair<TKey, TValue>(_keyCodec.Read(scan.Key[_prefix.Length..]), _valueCodec.Read(scan.Value));
    }

    private ReadOnlySpan<byte> EncodeKey(TKey key)
    {
        _key.ResetWrittenCount();
        _key.Write(_prefix);
        _keyCodec.Write(key, _key);
        return _key.WrittenSpan;
    }
}
