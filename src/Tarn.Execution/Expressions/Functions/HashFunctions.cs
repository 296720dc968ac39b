using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>MD5 / SHA1 / SHA256 of the UTF-8 bytes (or raw bytes), as lowercase hex text.</summary>
public sealed class DigestFunction(VectorExpression[] args, DataType type, string algorithm) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        Span<byte> hash = stackalloc byte[32];
        Span<byte> hex = stackalloc byte[64];
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var s = view.Get(i);
            var len = algorithm switch
            {
                "MD5" => MD5.HashData(s, hash),
                "SHA1" => SHA1.HashData(s, hash),
                _ => SHA256.HashData(s, hash),
            };
            for (var k = 0; k < len; k++)
            {
                hex[2 * k] = HexDigit(hash[k] >> 4);
                hex[2 * k + 1] = HexDigit(hash[k] & 15);
            }
            result.Append(hex[..(2 * len)]);
        }
        result.SetNulls(nulls);
        return result;
    }

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}

/// <summary>HASH_CODE of text/bytes with Java's String.hashCode / Arrays.hashCode(byte[]) arithmetic.</summary>
public sealed class TextHashCodeFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var nulls = StrictNulls(args, n);
        var result = new int[Math.Max(n, 1)];
        var isText = args[0].Type.IsString;
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) continue;
            var s = view.Get(i);
            var h = isText ? 0 : 1;
            if (isText)
            {
                foreach (var c in Text.Utf8Text.Decode(s)) h = unchecked(31 * h + c);
            }
            else
            {
                foreach (var b in s) h = unchecked(31 * h + (sbyte)b);
            }
            result[i] = h;
        }
        return new PrimitiveVector<int>(Type, result, n, nulls);
    }
}

/// <summary>HASH_CODE of numbers with Java's boxed hashCode (Integer: the value; Long: high ^ low; Double: its bits).</summary>
public readonly struct JavaHashOp<T> : IUnaryOp<T, int> where T : unmanaged
{
    public bool TryApply(T v, out int r)
    {
        if (typeof(T) == typeof(bool)) r = Unsafe.As<T, bool>(ref v) ? 1231 : 1237;
        else if (typeof(T) == typeof(sbyte)) r = Unsafe.As<T, sbyte>(ref v);
        else if (typeof(T) == typeof(short)) r = Unsafe.As<T, short>(ref v);
        else if (typeof(T) == typeof(int)) r = Unsafe.As<T, int>(ref v);
        else if (typeof(T) == typeof(long)) r = LongHash(Unsafe.As<T, long>(ref v));
        else if (typeof(T) == typeof(float))
        {
            var f = Unsafe.As<T, float>(ref v);
            r = float.IsNaN(f) ? 0x7FC00000 : BitConverter.SingleToInt32Bits(f); // Java's canonical NaN
        }
        else if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref v);
            r = LongHash(double.IsNaN(d) ? 0x7FF8000000000000L : BitConverter.DoubleToInt64Bits(d)); // Java's canonical NaN
        }
        else if (typeof(T) == typeof(Int128))
        {
            var x = Unsafe.As<T, Int128>(ref v);
            r = LongHash((long)x) ^ LongHash((long)(x >> 64));
        }
        else r = v.GetHashCode();
        return true;
    }

    private static int LongHash(long v) => (int)(v ^ (long)((ulong)v >> 32));
}
