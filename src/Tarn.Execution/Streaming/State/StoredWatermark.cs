using Tarn.Storage.Format;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// An operator's watermark kept in its state (one entry in <c>space</c>), so that after a restart it judges late rows
/// exactly as before; written at Flush only when it moved.
/// </summary>
internal sealed class StoredWatermark(OperatorState state, byte space, string what)
{
    private readonly ByteWriter _scratch = new(8);
    private long _saved = long.MinValue;

    /// <summary>The watermark stored at the last Flush, or <see cref="long.MinValue"/> when none was.</summary>
    public long Load()
    {
        if (state.Session.TryRead(Key(), out var stored)) _saved = new ByteReader(stored, what).ReadInt64();
        return _saved;
    }

    public void Save(long watermark)
    {
        if (watermark == _saved) return;
        _scratch.Clear();
        _scratch.WriteInt64(watermark);
        state.Session.Upsert(Key(), _scratch.WrittenSpan);
        _saved = watermark;
    }

    private byte[] Key() => state.BeginKey(space).ToArray();
}
