using Tarn.State;
using Tarn.Storage.Format;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// State TTL per side (<c>table.exec.state.ttl</c>, or per input with the <c>STATE_TTL</c> hint): a join key whose
/// rows on a side were not written for the side's TTL is treated as empty there, as if those rows had expired
/// (Flink's idle state retention; its join state TTL is per side too). Each written key records its last write
/// time in its own entry (spaces 9 and 10), read with the heads, so an operator without TTL pays nothing. Expired
/// records are overwritten when the key is written again.
/// </summary>
public sealed partial class StreamJoin
{
    private const byte TouchSpace = 9;

    private readonly long[] _ttlMillis = new long[2];
    private readonly StateReadBatch _touchReads = new();
    private readonly ByteWriter _touchValue = new(8);
    private bool[] _expired = [];
    private long _now;

    /// <summary>How long each side keeps a key that is not written (zero: forever); set while lowering, before any row.</summary>
    public void SetStateTtl(TimeSpan left, TimeSpan right)
    {
        _ttlMillis[0] = (long)left.TotalMilliseconds;
        _ttlMillis[1] = (long)right.TotalMilliseconds;
    }

    private bool HasTtl => _ttlMillis[0] > 0 || _ttlMillis[1] > 0;

    /// <summary>The last write times of the touched keys, per side (indexes as the heads' reads: 2 × slot + side).</summary>
    private void ReadExpiry(int slots)
    {
        if (!HasTtl) return;
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _touchReads.Clear();
        for (var s = 0; s < slots; s++)
        {
            _touchReads.Add(TouchKey(0, s));
            _touchReads.Add(TouchKey(1, s));
        }
        _state.Session.Read(_touchReads);
        if (_expired.Length < 2 * slots) _expired = new bool[Math.Max(64, 2 * slots)];
        for (var i = 0; i < 2 * slots; i++)
        {
            var ttl = _ttlMillis[i & 1];
            _expired[i] = ttl > 0 && _touchReads.TryGetValue(i, out var stored)
                && _now - new ByteReader(stored, "join key write time").ReadInt64() > ttl;
        }
    }

    private bool Expired(int readIndex) => HasTtl && _expired[readIndex];

    /// <summary>Records the write of a side's key (or forgets its time when the key has no rows left).</summary>
    private void Touch(int side, int slot, bool present)
    {
        if (_ttlMillis[side] <= 0) return;
        if (!present)
        {
            _state.Session.Delete(TouchKey(side, slot));
            return;
        }
        _touchValue.Clear();
        _touchValue.WriteInt64(_now);
        _state.Session.Upsert(TouchKey(side, slot), _touchValue.WrittenSpan);
    }

    private ReadOnlySpan<byte> TouchKey(int side, int slot)
    {
        var w = _state.BeginKey((byte)(TouchSpace + side));
        w.WriteBytes(SlotKey(slot));
        return w.WrittenSpan;
    }
}
