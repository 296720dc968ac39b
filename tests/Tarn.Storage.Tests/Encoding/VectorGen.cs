using System.Text;
using CsCheck;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Encodings;

/// <summary>Random column vectors of every physical type, with random null masks and edge values.</summary>
internal static class VectorGen
{
    public static readonly DataType[] Types =
    [
        DataType.Boolean, DataType.TinyInt, DataType.SmallInt, DataType.Int, DataType.BigInt,
        DataType.Decimal(30, 5), DataType.Float, DataType.Double, DataType.String, DataType.Bytes,
        DataType.Date, DataType.Timestamp(3), DataType.Timestamp(9), DataType.Time(6), DataType.Decimal(10, 2),
        DataType.Char(10), DataType.Varchar(20), new DataType(TypeKind.Binary, Length: 16), DataType.TimestampLtz(6),
        DataType.Time(0), new DataType(TypeKind.IntervalDayTime), new DataType(TypeKind.IntervalYearMonth), DataType.Null,
    ];

    public static Gen<ColumnVector> Vector(DataType type) =>
        Gen.Select(Gen.Int[0, 9], ValueShapes.Length, Gen.ULong, (shape, n, seed) => Build(type, shape, n, seed));

    public static Gen<ColumnVector> AnyVector =>
        Gen.Int[0, Types.Length - 1].SelectMany(i => Vector(Types[i]));

    public static ColumnVector Build(DataType type, int shape, int n, ulong seed)
    {
        var nulls = type.Nullable ? ValueShapes.Nulls(n, seed) : null;
        var rnd = new Random((int)seed);
        switch (type.Physical)
        {
            case PhysicalType.Bool:
                return new PrimitiveVector<bool>(type, Pad(Array.ConvertAll(ValueShapes.Build(shape, n, seed, 0, 1), v => v != 0)), n, nulls);
            case PhysicalType.Int8:
                return new PrimitiveVector<sbyte>(type, Pad(Array.ConvertAll(ValueShapes.Build(shape, n, seed, sbyte.MinValue, sbyte.MaxValue), v => (sbyte)v)), n, nulls);
            case PhysicalType.Int16:
                return new PrimitiveVector<short>(type, Pad(Array.ConvertAll(ValueShapes.Build(shape, n, seed, short.MinValue, short.MaxValue), v => (short)v)), n, nulls);
            case PhysicalType.Int32:
                return new PrimitiveVector<int>(type, Pad(Array.ConvertAll(ValueShapes.Build(shape, n, seed, int.MinValue, int.MaxValue), v => (int)v)), n, nulls);
            case PhysicalType.Int64:
                return new PrimitiveVector<long>(type, Pad(ValueShapes.Build(shape, n, seed, long.MinValue, long.MaxValue)), n, nulls);
            case PhysicalType.Int128:
                return new PrimitiveVector<Int128>(type, Pad(Int128s(shape, n, seed, rnd)), n, nulls);
            case PhysicalType.Float32:
                return new PrimitiveVector<float>(type, Pad(Array.ConvertAll(Doubles(shape, n, rnd), d => (float)d)), n, nulls);
            case PhysicalType.Float64:
                return new PrimitiveVector<double>(type, Pad(Doubles(shape, n, rnd)), n, nulls);
            default:
            {
                var v = new BinaryVector(type, n);
                foreach (var s in Strings(shape, n, rnd)) v.Append(s);
                v.SetNulls(nulls);
                return v;
            }
        }
    }

    private static T[] Pad<T>(T[] values) => values.Length == 0 ? new T[1] : values;

    private static Int128[] Int128s(int shape, int n, ulong seed, Random rnd)
    {
        var longs = ValueShapes.Build(shape, n, seed, long.MinValue, long.MaxValue);
        var mode = rnd.Next(4);
        var result = new Int128[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = mode switch
            {
                0 => longs[i],
                1 => ((Int128)longs[i] << 64) | (ulong)rnd.NextInt64(),
                2 => (Int128)longs[i] * ValueConverter.Pow10(20),
                _ => rnd.Next(4) switch { 0 => Int128.MinValue, 1 => Int128.MaxValue, 2 => 0, _ => longs[i] },
            };
        }
        return result;
    }

    private static readonly double[] Specials =
    [
        0.0, -0.0, double.NaN, BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0042)),
        double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 1e-310, 0.1, 1.0 / 3,
    ];

    private static double[] Doubles(int shape, int n, Random rnd)
    {
        var values = new double[n];
        var exponent = rnd.Next(0, 7);
        var scale = Math.Pow(10, exponent);
        var range = rnd.Next(1, 7);
        for (var i = 0; i < n; i++)
        {
            values[i] = shape switch
            {
                0 => BitConverter.Int64BitsToDouble(rnd.NextInt64()),
                1 => Specials[rnd.Next(Specials.Length)],
                2 => rnd.NextInt64(-(long)Math.Pow(10, range), (long)Math.Pow(10, range)) / scale,
                3 => Math.Round(rnd.NextDouble() * 1000, 2),
                4 => 42.5,
                5 => new[] { 1.5, -2.25, 1e300, 0.1 }[rnd.Next(4)],
                6 => i / scale,
                7 => rnd.Next(10) == 0 ? Specials[rnd.Next(Specials.Length)] : Math.Round(rnd.NextDouble() * 100, 1),
                8 => rnd.NextDouble(),
                _ => (i / 7) * 0.25,
            };
        }
        return values;
    }

    private static readonly string[] Pool = ["", "pending", "shipped", "delivered", "returned", "żółć ☃", "\0"];

    private static IEnumerable<byte[]> Strings(int shape, int n, Random rnd)
    {
        var constant = Encoding.UTF8.GetBytes(Pool[rnd.Next(Pool.Length)]);
        var sorted = new List<byte[]>();
        for (var i = 0; i < n; i++)
        {
            yield return shape switch
            {
                0 => RandomBytes(rnd, rnd.Next(0, 20)),
                1 or 5 => Encoding.UTF8.GetBytes(Pool[rnd.Next(Pool.Length)]),
                2 => RandomBytes(rnd, rnd.Next(250, 600)),
                3 => Encoding.UTF8.GetBytes($"key-{i:D6}"),
                4 => constant,
                6 => rnd.Next(3) == 0 ? [] : RandomBytes(rnd, 1),
                7 => Encoding.UTF8.GetBytes(new string('x', rnd.Next(0, 300))),
                8 => [0xFF, 0xFF, (byte)rnd.Next(3)],
                _ => Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()),
            };
        }
        _ = sorted;
    }

    private static byte[] RandomBytes(Random rnd, int length)
    {
        var b = new byte[length];
        rnd.NextBytes(b);
        return b;
    }
}
