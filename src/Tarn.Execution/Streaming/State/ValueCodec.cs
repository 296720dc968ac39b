using System.Runtime.InteropServices;
using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.State;

/// <summary>
/// Encodes single column values as bytes for state keys and values: a null flag, then the value in its physical
/// layout (little-endian fixed width, or a length-prefixed byte string). Key encodings must make equal SQL values equal
/// bytes, so -0.0 is written as 0.0 and every NaN as the same NaN.
/// </summary>
public static class ValueCodec
{
    public static void Write(ByteWriter w, ColumnVector v, int row)
    {
        if (v.IsNull(row))
        {
            w.WriteByte(0);
            return;
        }
        w.WriteByte(1);
        switch (v)
        {
            case PrimitiveVector<bool> b: w.WriteByte(b.Values[row] ? (byte)1 : (byte)0); break;
            case PrimitiveVector<sbyte> i8: w.WriteByte((byte)i8.Values[row]); break;
            case PrimitiveVector<short> i16: w.WriteUInt16((ushort)i16.Values[row]); break;
            case PrimitiveVector<int> i32: w.WriteInt32(i32.Values[row]); break;
            case PrimitiveVector<long> i64: w.WriteInt64(i64.Values[row]); break;
            case PrimitiveVector<Int128> i128:
                var x = i128.Values[row];
                w.WriteUInt64((ulong)x);
                w.WriteUInt64((ulong)(x >> 64));
                break;
            case PrimitiveVector<float> f:
                var fv = f.Values[row];
                w.WriteUInt32(BitConverter.SingleToUInt32Bits(fv == 0f ? 0f : float.IsNaN(fv) ? float.NaN : fv));
                break;
            case PrimitiveVector<double> d:
                var dv = d.Values[row];
                w.WriteUInt64(BitConverter.DoubleToUInt64Bits(dv == 0d ? 0d : double.IsNaN(dv) ? double.NaN : dv));
                break;
            case BinaryVector s: w.WriteBlob(s.GetBytes(row)); break;
            case DictionaryVector dict: w.WriteBlob(dict.Dictionary.GetBytes(dict.Codes[row])); break;
            default: throw new InvalidOperationException($"cannot encode {v.GetType().Name}");
        }
    }

    /// <summary>Reads one value written by <see cref="Write"/> and appends it to <paramref name="output"/>.</summary>
    public static void ReadInto(ref ByteReader r, ColumnVector output)
    {
        if (r.ReadByte() == 0)
        {
            output.AppendNull();
            return;
        }
        switch (output)
        {
            case PrimitiveVector<bool> b: b.Append(r.ReadByte() != 0); break;
            case PrimitiveVector<sbyte> i8: i8.Append((sbyte)r.ReadByte()); break;
            case PrimitiveVector<short> i16: i16.Append((short)r.ReadUInt16()); break;
            case PrimitiveVector<int> i32: i32.Append(r.ReadInt32()); break;
            case PrimitiveVector<long> i64: i64.Append(r.ReadInt64()); break;
            case PrimitiveVector<Int128> i128:
                var lo = r.ReadUInt64();
                var hi = r.ReadUInt64();
                i128.Append(new Int128(hi, lo));
                break;
            case PrimitiveVector<float> f: f.Append(BitConverter.UInt32BitsToSingle(r.ReadUInt32())); break;
            case PrimitiveVector<double> d: d.Append(BitConverter.UInt64BitsToDouble(r.ReadUInt64())); break;
            case BinaryVector s: s.Append(r.ReadBlob()); break;
            default: throw new InvalidOperationException($"cannot decode into {output.GetType().Name}");
        }
    }

    /// <summary>Skips one encoded value.</summary>
    public static void Skip(ref ByteReader r, DataType type)
    {
        if (r.ReadByte() == 0) return;
        switch (type.Physical)
        {
            case PhysicalType.Bool or PhysicalType.Int8: r.ReadBytes(1); break;
            case PhysicalType.Int16: r.ReadBytes(2); break;
            case PhysicalType.Int32 or PhysicalType.Float32: r.ReadBytes(4); break;
            case PhysicalType.Int64 or PhysicalType.Float64: r.ReadBytes(8); break;
            case PhysicalType.Int128: r.ReadBytes(16); break;
            default: r.ReadBlob(); break;
        }
    }

    /// <summary>Writes a fixed-width value of an unmanaged type (state of typed accumulators).</summary>
    public static void WriteRaw<T>(ByteWriter w, T value) where T : unmanaged
    {
        var span = w.GetSpan(System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        MemoryMarshal.Write(span, in value);
        w.Advance(System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    public static T ReadRaw<T>(ref ByteReader r) where T : unmanaged =>
        MemoryMarshal.Read<T>(r.ReadBytes(System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
}
