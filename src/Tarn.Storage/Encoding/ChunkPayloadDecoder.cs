using System.Buffers;
using System.Runtime.InteropServices;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Encodings;

/// <summary>
/// Decodes a chunk payload into a vector: PrimitiveVector&lt;T&gt; or BinaryVector, or a DictionaryVector for
/// dictionary-encoded strings. Every count and length is checked before it is used. Arrays of a
/// <c>reuse</c> vector are written over when they are of the right kind and large enough: fresh large arrays cost
/// more to fault in than decoding them does.
/// </summary>
internal static class ChunkPayloadDecoder
{
    public static ColumnVector Decode(ReadOnlySpan<byte> payload, DataType type, int rows, DecodeSite site, out ChunkEncoding encoding, ColumnVector? reuse = null)
    {
        var reader = new PayloadReader(payload, site);
        var nulls = ValidityEncoding.Read(ref reader, rows, reuse?.Nulls);
        if (nulls is not null && !type.Nullable) reader.Fail("NULL values in a NOT NULL column");
        ColumnVector vector;
        switch (type.Physical)
        {
            case PhysicalType.Bool:
            {
                var values = ArrayFor<bool>(reuse, rows);
                var bytes = MemoryMarshal.Cast<bool, sbyte>(values.AsSpan(0, rows));
                encoding = LongStream.Read(ref reader, bytes, EncodingSet.Bits);
                // A bool must be 0 or 1 in memory; decoded bytes are normalized rather than trusted.
                foreach (ref var b in bytes) b = b != 0 ? (sbyte)1 : (sbyte)0;
                vector = new PrimitiveVector<bool>(type, values, rows, nulls);
                break;
            }
            case PhysicalType.Int8: vector = Integers<sbyte>(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Int16: vector = Integers<short>(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Int32: vector = Integers<int>(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Int64: vector = Integers<long>(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Int128:
            {
                var values = ArrayFor<Int128>(reuse, rows);
                encoding = Int128Stream.Read(ref reader, values.AsSpan(0, rows));
                vector = new PrimitiveVector<Int128>(type, values, rows, nulls);
                break;
            }
            case PhysicalType.Float32: vector = Singles(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Float64: vector = Doubles(ref reader, type, rows, nulls, out encoding, reuse); break;
            case PhysicalType.Binary: vector = BinaryValuesDecoder.Read(ref reader, type, rows, nulls, out encoding, reuse); break;
            default:
                reader.Fail($"no decoder for {type.Physical}");
                encoding = default;
                vector = null!;
                break;
        }
        reader.ExpectEnd();
        return vector;
    }

    /// <summary>The values array of <paramref name="reuse"/> when it fits, else a new one.</summary>
    internal static T[] ArrayFor<T>(ColumnVector? reuse, int rows) where T : unmanaged =>
        reuse is PrimitiveVector<T> p && p.Values.Length >= rows ? p.Values : GC.AllocateUninitializedArray<T>(Math.Max(rows, 1));

    private static PrimitiveVector<T> Integers<T>(ref PayloadReader reader, DataType type, int rows, byte[]? nulls, out ChunkEncoding encoding, ColumnVector? reuse)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var values = ArrayFor<T>(reuse, rows);
        encoding = LongStream.Read(ref reader, values.AsSpan(0, rows), EncodingSet.Integers);
        return new PrimitiveVector<T>(type, values, rows, nulls);
    }

    private static PrimitiveVector<double> Doubles(ref PayloadReader reader, DataType type, int rows, byte[]? nulls, out ChunkEncoding encoding, ColumnVector? reuse)
    {
        var values = ArrayFor<double>(reuse, rows);
        var span = values.AsSpan(0, rows);
        encoding = LongStream.ReadEncoding(ref reader, EncodingSet.Floats);
        if (encoding == ChunkEncoding.DecimalScaled) DecimalScaledEncoding.Read(ref reader, span);
        else LongStream.ReadBody(ref reader, encoding, MemoryMarshal.Cast<double, long>(span));
        return new PrimitiveVector<double>(type, values, rows, nulls);
    }

    private static PrimitiveVector<float> Singles(ref PayloadReader reader, DataType type, int rows, byte[]? nulls, out ChunkEncoding encoding, ColumnVector? reuse)
    {
        var values = ArrayFor<float>(reuse, rows);
        var span = values.AsSpan(0, rows);
        encoding = LongStream.ReadEncoding(ref reader, EncodingSet.Floats);
        if (encoding == ChunkEncoding.DecimalScaled)
        {
            var scratch = ArrayPool<long>.Shared.Rent(rows);
            try
            {
                DecimalScaledEncoding.Read(ref reader, span, scratch.AsSpan(0, rows));
            }
            finally
            {
                ArrayPool<long>.Shared.Return(scratch);
            }
        }
        else
        {
            LongStream.ReadBody(ref reader, encoding, MemoryMarshal.Cast<float, int>(span));
        }
        return new PrimitiveVector<float>(type, values, rows, nulls);
    }
}
