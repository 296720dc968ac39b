using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Tarn.Storage.Encodings;

/// <summary>Which structure of which file is being decoded, for corruption messages (formatted only on failure).</summary>
internal readonly record struct DecodeSite(string? File, string Structure, int RowGroup = -1, int Column = -1)
{
    public override string ToString() =>
        RowGroup < 0 ? Structure : $"{Structure} of row group {RowGroup}, column {Column}";

    [DoesNotReturn]
    public void Fail(string detail) => ThrowHelper.Corrupt(File, $"{this}: {detail}");
}

/// <summary>
/// Bounds-checked little-endian reader over decoded bytes. Every length it hands out has been checked against the
/// bytes that remain, so corrupt input ends in <see cref="SqlStates.DataCorrupted"/>, never an out-of-range index
/// or a huge allocation.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> data, DecodeSite site)
    {
        _data = data;
        Site = site;
    }

    public DecodeSite Site { get; }
    public readonly int Position => _position;
    public readonly int Remaining => _data.Length - _position;

    [DoesNotReturn]
    public readonly void Fail(string detail) => Site.Fail(detail);

    public ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count < 0 || count > Remaining) Fail($"needs {count} bytes at offset {_position} but only {Remaining} remain");
        var span = _data.Slice(_position, (int)count);
        _position += (int)count;
        return span;
    }

    public byte ReadByte() => ReadBytes(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));
    public Int128 ReadInt128() => BinaryPrimitives.ReadInt128LittleEndian(ReadBytes(16));
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ReadBytes(8));

    /// <summary>A count stored as u32 that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadCount(string what, long min, long max)
    {
        var value = ReadUInt32();
        if (value < min || value > max) Fail($"{what} {value} is outside {min}..{max}");
        return (int)value;
    }

    /// <summary>Unsigned LEB128 of at most 128 bits; overlong or oversized encodings are corrupt.</summary>
    public UInt128 ReadVarUInt128()
    {
        UInt128 result = 0;
        for (var shift = 0; shift < 133; shift += 7)
        {
            var b = ReadByte();
            var group = (UInt128)(b & 0x7F);
            if (shift == 126 && group > 3) Fail("variable-length integer overflows 128 bits");
            result |= group << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && shift > 0) Fail("variable-length integer has a redundant trailing zero byte");
                return result;
            }
        }
        Fail("variable-length integer is longer than 19 bytes");
        return 0;
    }

    public Int128 ReadVarInt128()
    {
        var z = ReadVarUInt128();
        return (Int128)(z >> 1) ^ -(Int128)(z & 1);
    }

    /// <summary>An unsigned varint that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long ReadVarLong(string what, long min, long max)
    {
        var value = ReadVarUInt128();
        if (value < (ulong)min || value > (ulong)max) Fail($"{what} {value} is outside {min}..{max}");
        return (long)value;
    }

    /// <summary>
    /// A bit-packed run of <paramref name="count"/> values: a width byte (0..<paramref name="maxWidth"/>) then
    /// ceil(count*width/8) bytes whose padding bits must be zero.
    /// </summary>
    public ReadOnlySpan<byte> ReadPacked(long count, int maxWidth, out int width)
    {
        width = ReadByte();
        if (width > maxWidth) Fail($"bit width {width} exceeds {maxWidth}");
        var bytes = ReadBytes(BitPacking.ByteCount(count, width));
        if (!BitPacking.PaddingIsZero(bytes, count, width)) Fail("padding bits of a bit-packed run are not zero");
        return bytes;
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0) Fail($"{Remaining} unexpected trailing bytes");
    }
}
