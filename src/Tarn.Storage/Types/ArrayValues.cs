using System.Buffers.Binary;
using System.Text;
using Tarn.Vectors;

namespace Tarn.Types;

/// <summary>
/// The value encoding of ARRAY (storage-spec/04-encodings.md §4.10): an array is a byte string that is
/// self-delimiting and <b>order-preserving</b> — comparing two encodings as unsigned bytes gives the SQL order of the
/// arrays (lexicographic by element, a shorter prefix first, a NULL element after every value, as PostgreSQL and
/// DuckDB order arrays), and two arrays are equal exactly when their bytes are. So arrays live in the ordinary
/// variable-length (BINARY) vectors and chunks, and every operator that compares, hashes, groups, sorts or joins
/// byte strings handles them without knowing they are arrays.
/// <code>
/// array   := element* 0x00
/// element := 0x01 value | 0x02                      -- 0x02 is a NULL element
/// value   := by the element's physical type: BOOLEAN 1 byte 0/1; integers (TINYINT .. BIGINT, DATE, TIME,
///            TIMESTAMP, intervals, DECIMAL unscaled) big-endian two's complement of their width (1, 2, 4, 8, 16
///            bytes) with the sign bit inverted; FLOAT/DOUBLE the IEEE bits big-endian, all bits inverted when the
///            sign is set, else only the sign bit (−0.0 is written as +0.0, every NaN as 0x7FC00000 / 0x7FF8...);
///            strings and bytes: the bytes with each 0x00 written as 0x00 0xFF, then 0x00 0x01; ARRAY: an array.
/// </code>
/// Arrays use this per-value representation everywhere (no columnar child vectors): simple, and comparisons stay
/// byte comparisons.
/// </summary>
public static class ArrayValues
{
    public const byte EndMarker = 0x00;
    public const byte ValueMarker = 0x01;
    public const byte NullMarker = 0x02;
    private const byte Escape = 0x00;
    private const byte EscapedZero = 0xFF;
    private const byte StringEnd = 0x01;

    /// <summary>Deepest nesting a reader accepts (ARRAY&lt;ARRAY&lt;...&gt;&gt;).</summary>
    public const int MaxDepth = 32;

    /// <summary>The encoding of the empty array.</summary>
    public static ReadOnlySpan<byte> Empty => [EndMarker];

    /// <summary>Width in bytes of a fixed-width element value; 0 for variable-length ones (strings, arrays).</summary>
    public static int FixedWidth(DataType element) => element.Physical switch
    {
        PhysicalType.Bool or PhysicalType.Int8 => 1,
        PhysicalType.Int16 => 2,
        PhysicalType.Int32 or PhysicalType.Float32 => 4,
        PhysicalType.Int64 or PhysicalType.Float64 => 8,
        PhysicalType.Int128 => 16,
        _ => 0,
    };

    /// <summary>
    /// Checks that <paramref name="data"/> is exactly one well-formed array of <paramref name="element"/> values and
    /// returns its element count, or −1 when it is not (a reader reports that as corruption).
    /// </summary>
    public static int Validate(ReadOnlySpan<byte> data, DataType element)
    {
        var count = 0;
        var end = SkipArray(data, 0, element, 0, ref count);
        return end == data.Length ? count : -1;
    }

    /// <summary>Number of elements of a well-formed array.</summary>
    public static int Count(ReadOnlySpan<byte> data, DataType element)
    {
        var reader = new ArrayValueReader(data, element);
        var n = 0;
        while (reader.MoveNext()) n++;
        return n;
    }

    /// <summary>Position after the array starting at <paramref name="pos"/>, or −1 if malformed.</summary>
    internal static int SkipArray(ReadOnlySpan<byte> data, int pos, DataType element, int depth, ref int count)
    {
        if (depth >= MaxDepth) return -1;
        while (true)
        {
            if (pos >= data.Length) return -1;
            var marker = data[pos++];
            if (marker == EndMarker) return pos;
            count++;
            if (marker == NullMarker) continue;
            if (marker != ValueMarker) return -1;
            pos = SkipValue(data, pos, element, depth);
            if (pos < 0) return -1;
        }
    }

    /// <summary>Position after the element value starting at <paramref name="pos"/>, or −1 if malformed.</summary>
    internal static int SkipValue(ReadOnlySpan<byte> data, int pos, DataType element, int depth)
    {
        if (element.Kind == TypeKind.Null) return -1; // an element of type NULL is always a NULL element
        if (element.Kind == TypeKind.Array)
        {
            var ignored = 0;
            return SkipArray(data, pos, element.Element!, depth + 1, ref ignored);
        }
        var width = FixedWidth(element);
        if (width > 0)
        {
            if (pos + width > data.Length) return -1;
            if (element.Physical == PhysicalType.Bool && data[pos] > 1) return -1;
            return pos + width;
        }
        while (pos < data.Length)
        {
            if (data[pos] != Escape) { pos++; continue; }
            if (pos + 1 >= data.Length) return -1;
            var next = data[pos + 1];
            if (next == StringEnd) return pos + 2;
            if (next != EscapedZero) return -1;
            pos += 2;
        }
        return -1;
    }

    /// <summary>The bytes of an escaped string value (without its terminator) unescaped into <paramref name="output"/>.</summary>
    public static void Unescape(ReadOnlySpan<byte> escaped, List<byte> output)
    {
        for (var i = 0; i < escaped.Length; i++)
        {
            output.Add(escaped[i]);
            if (escaped[i] == Escape) i++; // 0x00 0xFF stands for one 0x00
        }
    }

    /// <summary>The value bytes of a string element (terminator removed, escapes resolved).</summary>
    public static byte[] StringBytes(ReadOnlySpan<byte> encodedValue)
    {
        var body = encodedValue[..^2];
        if (body.IndexOf(Escape) < 0) return body.ToArray();
        var list = new List<byte>(body.Length);
        Unescape(body, list);
        return [.. list];
    }

    /// <summary>Reads a fixed-width integer element value (sign bit restored).</summary>
    public static long ReadInteger(ReadOnlySpan<byte> v) => v.Length switch
    {
        1 => (sbyte)(v[0] ^ 0x80),
        2 => (short)(BinaryPrimitives.ReadUInt16BigEndian(v) ^ 0x8000),
        4 => (int)(BinaryPrimitives.ReadUInt32BigEndian(v) ^ 0x8000_0000u),
        _ => (long)(BinaryPrimitives.ReadUInt64BigEndian(v) ^ 0x8000_0000_0000_0000ul),
    };

    public static Int128 ReadInt128(ReadOnlySpan<byte> v) =>
        (Int128)(BinaryPrimitives.ReadUInt128BigEndian(v) ^ ((UInt128)1 << 127));

    public static float ReadFloat(ReadOnlySpan<byte> v)
    {
        var key = BinaryPrimitives.ReadUInt32BigEndian(v);
        return BitConverter.UInt32BitsToSingle((key & 0x8000_0000u) != 0 ? key & 0x7FFF_FFFFu : ~key);
    }

    public static double ReadDouble(ReadOnlySpan<byte> v)
    {
        var key = BinaryPrimitives.ReadUInt64BigEndian(v);
        return BitConverter.UInt64BitsToDouble((key & 0x8000_0000_0000_0000ul) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFul : ~key);
    }

    /// <summary>An element value in physical form (see <c>BoundLiteral</c>): nested arrays stay encoded (byte[]).</summary>
    public static object DecodePhysical(DataType element, ReadOnlySpan<byte> v) => element.Physical switch
    {
        _ when element.Kind == TypeKind.Array => v.ToArray(),
        PhysicalType.Bool => v[0] != 0,
        PhysicalType.Int8 => (sbyte)ReadInteger(v),
        PhysicalType.Int16 => (short)ReadInteger(v),
        PhysicalType.Int32 => (int)ReadInteger(v),
        PhysicalType.Int64 => ReadInteger(v),
        PhysicalType.Int128 => ReadInt128(v),
        PhysicalType.Float32 => ReadFloat(v),
        PhysicalType.Float64 => ReadDouble(v),
        _ => element.IsString ? Encoding.UTF8.GetString(StringBytes(v)) : StringBytes(v),
    };

    /// <summary>Appends an element value to a vector of the element type (nested arrays stay encoded).</summary>
    public static void AppendElement(ColumnVector target, ReadOnlySpan<byte> v)
    {
        switch (target)
        {
            case PrimitiveVector<bool> x: x.Append(v[0] != 0); break;
            case PrimitiveVector<sbyte> x: x.Append((sbyte)ReadInteger(v)); break;
            case PrimitiveVector<short> x: x.Append((short)ReadInteger(v)); break;
            case PrimitiveVector<int> x: x.Append((int)ReadInteger(v)); break;
            case PrimitiveVector<long> x: x.Append(ReadInteger(v)); break;
            case PrimitiveVector<Int128> x: x.Append(ReadInt128(v)); break;
            case PrimitiveVector<float> x: x.Append(ReadFloat(v)); break;
            case PrimitiveVector<double> x: x.Append(ReadDouble(v)); break;
            case BinaryVector b when target.Type.IsArray: b.Append(v); break;
            case BinaryVector b:
                var body = v[..^2];
                if (body.IndexOf(Escape) < 0) b.Append(body);
                else b.Append(StringBytes(v));
                break;
            default: throw new InvalidOperationException($"cannot append array elements to {target.GetType().Name}");
        }
    }

    /// <summary>The elements in physical form (NULL elements as null).</summary>
    public static object?[] ToPhysical(ReadOnlySpan<byte> data, DataType element)
    {
        var list = new List<object?>();
        var reader = new ArrayValueReader(data, element);
        while (reader.MoveNext()) list.Add(reader.IsNull ? null : DecodePhysical(element, reader.Value));
        return [.. list];
    }

    /// <summary>Encodes elements given in physical form (nested arrays as encoded byte[]).</summary>
    public static byte[] FromPhysical(IReadOnlyList<object?> elements, DataType element)
    {
        var w = new ArrayValueWriter();
        foreach (var e in elements) w.AppendPhysical(element, e);
        return w.Finish().ToArray();
    }

    /// <summary>
    /// The array as the API returns it: <c>object?[]</c> of the elements' CLR values (as <c>TarnDataReader</c> returns
    /// them for a column of the element type; NULL elements are null, nested arrays are <c>object?[]</c>).
    /// </summary>
    public static object?[] ToClr(ReadOnlySpan<byte> data, DataType element)
    {
        var list = new List<object?>();
        var reader = new ArrayValueReader(data, element);
        while (reader.MoveNext()) list.Add(reader.IsNull ? null : ElementToClr(element, reader.Value));
        return [.. list];
    }

    private static object ElementToClr(DataType element, ReadOnlySpan<byte> v)
    {
        if (element.Kind == TypeKind.Array) return ToClr(v, element.Element!);
        return DecodePhysical(element, v) switch
        {
            int i => ValueConverter.ToClr(element, i),
            long l => ValueConverter.ToClr(element, l),
            Int128 x => ValueConverter.ToClr(element, x),
            var other => other,
        };
    }

    /// <summary>Encodes CLR elements (as the API accepts them for a column of the element type; nested arrays as lists).</summary>
    public static byte[] FromClr(System.Collections.IEnumerable elements, DataType element)
    {
        var w = new ArrayValueWriter();
        var scratch = ColumnVector.Create(element.Kind == TypeKind.Null ? DataType.Int : element, 1);
        foreach (var e in elements)
        {
            if (e is null or DBNull) { w.AppendNull(); continue; }
            if (element.Kind == TypeKind.Array)
            {
                if (e is not System.Collections.IEnumerable inner || e is string)
                    throw new InvalidCastException($"an element of {DataType.Array(element).ToSql()} must be a list, not {e.GetType().Name}");
                w.AppendEncodedArray(FromClr(inner, element.Element!));
                continue;
            }
            scratch.Reset();
            ValueConverter.AppendClr(scratch, e);
            w.AppendFrom(scratch, 0);
        }
        return w.Finish().ToArray();
    }
}

/// <summary>Walks the elements of a well-formed array encoding (see <see cref="ArrayValues"/>).</summary>
public ref struct ArrayValueReader(ReadOnlySpan<byte> data, DataType element)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    /// <summary>Whether the current element is NULL.</summary>
    public bool IsNull { get; private set; }

    /// <summary>The encoded value of the current element (as it follows its 0x01 marker); empty for NULL.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>The current element with its marker: comparable as bytes with another element's.</summary>
    public ReadOnlySpan<byte> Encoded { get; private set; }

    public bool MoveNext()
    {
        if (_pos >= _data.Length) return false;
        var start = _pos;
        var marker = _data[_pos++];
        if (marker == ArrayValues.EndMarker) { _pos = _data.Length; return false; }
        if (marker == ArrayValues.NullMarker)
        {
            IsNull = true;
            Value = default;
            Encoded = _data.Slice(start, 1);
            return true;
        }
        var end = ArrayValues.SkipValue(_data, _pos, element, 0);
        if (marker != ArrayValues.ValueMarker || end < 0) throw new InvalidOperationException("malformed array value");
        IsNull = false;
        Value = _data[_pos..end];
        Encoded = _data[start..end];
        _pos = end;
        return true;
    }
}
