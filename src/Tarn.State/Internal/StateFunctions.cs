using FASTER.core;

namespace Tarn.State.Internal;

/// <summary>Output of one read: the buffer and slot the value is copied into.</summary>
internal struct ReadSlot
{
    public ValueBuffer Buffer;
    public int Slot;

    public ReadSlot(ValueBuffer buffer, int slot)
    {
        Buffer = buffer;
        Slot = slot;
    }
}

/// <summary>
/// FASTER callbacks for SpanByte keys and values. Writes and deletes are FASTER's stock SpanByte behaviour (copy in,
/// shrink in place when the new value is not longer, otherwise append a new record). Reads copy the value into the
/// caller's <see cref="ValueBuffer"/> slot, together with the record's address. The output struct travels with a
/// pending operation, so reads completed later from disk land in the same slot even through a plain CompletePending
/// (which discards outputs), and nothing is rented that would need disposing.
/// </summary>
internal sealed class StateFunctions : SpanByteFunctions<SpanByte, ReadSlot, int>
{
    public static readonly StateFunctions Instance = new();

    public override bool SingleReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref ReadSlot dst, ref ReadInfo readInfo)
    {
        dst.Buffer.Set(dst.Slot, value.AsReadOnlySpan(), readInfo.Address);
        return true;
    }

    public override bool ConcurrentReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref ReadSlot dst, ref ReadInfo readInfo)
    {
        dst.Buffer.Set(dst.Slot, value.AsReadOnlySpan(), readInfo.Address);
        return true;
    }
}
