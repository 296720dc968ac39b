using System.Buffers.Binary;
using System.Text;
using Tarn.Vectors;

namespace Tarn.Types;

/// <summary>
/// Builds one array encoding (<see cref="ArrayValues"/>) element by element; <see cref="Finish"/> adds the end marker.
/// Reusable: <see cref="Reset"/> keeps the buffer.
/// </summary>
public sealed class ArrayValueWriter
{
    private byte[] _buffer = new byte[64];
    private int _length;

    public void Reset() => _length = 0;

    /// <summary>Appends the end marker and returns the encoding (valid until the next call).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        Reserve(1)[0] = ArrayValues.EndMarker;
        return _buffer.AsSpan(0, _length);
    }

    private Span<byte> Reserve(int n)
    {
        if (_length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
        var span = _buffer.AsSpan(_length, n);
        _length += n;
        return span;
    }

    public void AppendNull() => Reserve(1)[0] = ArrayValues.NullMarker;

    public void AppendBool(bool value)
    {
        var s = Reserve(2);
        s[0] = ArrayValues.ValueMarker;
        s[1] = value ? (byte)1 : (byte)0;
    }

    /// <summary>An integer of <paramref name="width"/> bytes (1, 2, 4 or 8).</summary>
    public void AppendInteger(long value, int width)
    {
        var s = Reserve(1 + width);
        s[0] = ArrayValues.ValueMarker;
        switch (width)
        {
            case 1: s[1] = (byte)((sbyte)value ^ unchecked((sbyte)0x80)); break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)((ushort)(short)value ^ 0x8000)); break;
            case 4: BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)(int)value ^ 0x8000_0000u); break;
            default: BinaryPrimitives.WriteUInt64BigEndian(s[1..], (ulong)value ^ 0x8000_0000_0000_0000ul); break;
        }
    }

    public void AppendInt128(Int128 value)
    {
        var s = Reserve(17);
        s[0] = ArrayValues.ValueMarker;
        BinaryPrimitives.WriteUInt128BigEndian(s[1..], (UInt128)value ^ ((UInt128)1 << 127));
    }

    public void AppendFloat(float value)
    {
        if (value == 0) value = 0; // −0.0 → +0.0
        var bits = float.IsNaN(value) ? 0x7FC0_0000u : BitConverter.SingleToUInt32Bits(value);
        var key = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        var s = Reserve(5);
        s[0] = ArrayValues.ValueMarker;
        BinaryPrimitives.WriteUInt32BigEndian(s[1..], key);
    }

    public void AppendDouble(double value)
    {
        if (value == 0) value = 0;
        var bits = double.IsNaN(value) ? 0x7FF8_0000_0000_0000ul : BitConverter.DoubleToUInt64Bits(value);
        var key = (bits & 0x8000_0000_0000_0000ul) != 0 ? ~bits : bits | 0x8000_0000_0000_0000ul;
        var s = Reserve(9);
        s[0] = ArrayValues.ValueMarker;
        BinaryPrimitives.WriteUInt64BigEndian(s[1..], key);
    }

    /// <summary>A string or bytes value: 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01.</summary>
    public void AppendBytes(ReadOnlySpan<byte> value)
    {
        var zeros = value.Count((byte)0);
        var s = Reserve(1 + value.Length + zeros + 2);
        s[0] = ArrayValues.ValueMarker;
        var o = 1;
        foreach (var b in value)
        {
            s[o++] = b;
            if (b == 0) s[o++] = 0xFF;
        }
        s[o++] = 0x00;
        s[o] = 0x01;
    }

    /// <summary>A nested array, given as its (well-formed) encoding.</summary>
    public void AppendEncodedArray(ReadOnlySpan<byte> encoded)
    {
        var s = Reserve(1 + encoded.Length);
        s[0] = ArrayValues.ValueMarker;
        encoded.CopyTo(s[1..]);
    }

    /// <summary>An already encoded element (marker included), as <see cref="ArrayValueReader.Encoded"/> returns it.</summary>
    public void AppendEncodedElement(ReadOnlySpan<byte> encodedElement) => encodedElement.CopyTo(Reserve(encodedElement.Length));

    /// <summary>Row <paramref name="row"/> of <paramref name="v"/> as the next element (its type is the element type).</summary>
    public void AppendFrom(ColumnVector v, int row)
    {
        if (v.IsNull(row) || v.Type.Kind == TypeKind.Null) { AppendNull(); return; }
        switch (v)
        {
            case PrimitiveVector<bool> x: AppendBool(x.Values[row]); break;
            case PrimitiveVector<sbyte> x: AppendInteger(x.Values[row], 1); break;
            case PrimitiveVector<short> x: AppendInteger(x.Values[row], 2); break;
            case PrimitiveVector<int> x: AppendInteger(x.Values[row], 4); break;
            case PrimitiveVector<long> x: AppendInteger(x.Values[row], 8); break;
            case PrimitiveVector<Int128> x: AppendInt128(x.Values[row]); break;
            case PrimitiveVector<float> x: AppendFloat(x.Values[row]); break;
            case PrimitiveVector<double> x: AppendDouble(x.Values[row]); break;
            case BinaryVector x: AppendBinary(v.Type, x.GetBytes(row)); break;
            case DictionaryVector x: AppendBinary(v.Type, x.Dictionary.GetBytes(x.Codes[row])); break;
            default: throw new InvalidOperationException($"cannot put {v.GetType().Name} values into an array");
        }
    }

    private void AppendBinary(DataType type, ReadOnlySpan<byte> bytes)
    {
        if (type.Kind == TypeKind.Array) AppendEncodedArray(bytes);
        else AppendBytes(bytes);
    }

    /// <summary>A value in physical form (see <c>BoundLiteral</c>) of type <paramref name="element"/>.</summary>
    public void AppendPhysical(DataType element, object? value)
    {
        if (value is null || element.Kind == TypeKind.Null) { AppendNull(); return; }
        switch (element.Physical)
        {
            case PhysicalType.Bool: AppendBool((bool)value); break;
            case PhysicalType.Int8: AppendInteger((sbyte)value, 1); break;
            case PhysicalType.Int16: AppendInteger((short)value, 2); break;
            case PhysicalType.Int32: AppendInteger((int)value, 4); break;
            case PhysicalType.Int64: AppendInteger((long)value, 8); break;
            case PhysicalType.Int128: AppendInt128((Int128)value); break;
            case PhysicalType.Float32: AppendFloat((float)value); break;
            case PhysicalType.Float64: AppendDouble((double)value); break;
            default:
                if (element.Kind == TypeKind.Array) AppendEncodedArray((byte[])value);
                else if (value is string s) AppendBytes(Encoding.UTF8.GetBytes(s));
                else AppendBytes((byte[])value);
                break;
        }
    }
}
