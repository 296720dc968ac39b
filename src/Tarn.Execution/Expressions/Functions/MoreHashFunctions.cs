using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>SHA224, SHA384, SHA512 and SHA2(s, bits) as lowercase hex (Flink); SHA2 with another bit length is NULL.</summary>
public static class MoreHashFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["SHA224"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Digest(x.Bytes(0, i), 224, o));
        f["SHA384"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Digest(x.Bytes(0, i), 384, o));
        f["SHA512"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Digest(x.Bytes(0, i), 512, o));
        f["SHA2"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Digest(x.Bytes(0, i), x.Long(1, i), o));
    }

    private static bool Digest(ReadOnlySpan<byte> s, long bits, ArrayBufferWriter<byte> o)
    {
        Span<byte> hash = stackalloc byte[64];
        int len;
        switch (bits)
        {
            case 224: len = Sha224.Hash(s, hash); break;
            case 256: len = SHA256.HashData(s, hash); break;
            case 384: len = SHA384.HashData(s, hash); break;
            case 512: len = SHA512.HashData(s, hash); break;
            default: return false;
        }
        var hex = o.GetSpan(2 * len);
        for (var k = 0; k < len; k++)
        {
            hex[2 * k] = HexDigit(hash[k] >> 4);
            hex[2 * k + 1] = HexDigit(hash[k] & 15);
        }
        o.Advance(2 * len);
        return true;
    }

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}

/// <summary>SHA-224 (FIPS 180-4): SHA-256's compression with its own initial values, truncated to 28 bytes. .NET has
/// no SHA-224.</summary>
public static class Sha224
{
    private static readonly uint[] s_k =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Writes the 28-byte digest of <paramref name="data"/> and returns 28.</summary>
    public static int Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<uint> h = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];
        Span<uint> w = stackalloc uint[64];
        var total = data.Length;
        var full = total / 64;
        for (var b = 0; b < full; b++) Block(data.Slice(b * 64, 64), h, w);
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        var rest = data[(full * 64)..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length + 9 <= 64 ? 64 : 128;
        BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(tailLength - 8), (ulong)total * 8);
        for (var b = 0; b < tailLength; b += 64) Block(tail.Slice(b, 64), h, w);
        for (var k = 0; k < 7; k++) BinaryPrimitives.WriteUInt32BigEndian(output.Slice(4 * k), h[k]);
        return 28;
    }

    private static void Block(ReadOnlySpan<byte> block, Span<uint> h, Span<uint> w)
    {
        for (var t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(4 * t));
        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
        }
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (var t = 0; t < 64; t++)
        {
            var S1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var ch = (e & f) ^ (~e & g);
            var t1 = unchecked(hh + S1 + ch + s_k[t] + w[t]);
            var S0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var maj = (a & b) ^ (a & c) ^ (b & c);
            var t2 = unchecked(S0 + maj);
            hh = g; g = f; f = e; e = unchecked(d + t1); d = c; c = b; b = a; a = unchecked(t1 + t2);
        }
        h[0] = unchecked(h[0] + a); h[1] = unchecked(h[1] + b); h[2] = unchecked(h[2] + c); h[3] = unchecked(h[3] + d);
        h[4] = unchecked(h[4] + e); h[5] = unchecked(h[5] + f); h[6] = unchecked(h[6] + g); h[7] = unchecked(h[7] + hh);
    }
}
