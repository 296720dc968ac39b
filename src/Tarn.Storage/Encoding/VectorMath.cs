using System.Numerics;
using System.Runtime.InteropServices;

namespace Tarn.Storage.Encodings;

/// <summary>Small SIMD helpers for validating decoded values.</summary>
internal static class VectorMath
{
    /// <summary>The largest value when each int is read as unsigned (0 for an empty span).</summary>
    public static uint MaxUnsigned(ReadOnlySpan<int> values)
    {
        var span = MemoryMarshal.Cast<int, uint>(values);
        var i = 0;
        uint max = 0;
        if (Vector.IsHardwareAccelerated && span.Length >= Vector<uint>.Count)
        {
            var acc = Vector<uint>.Zero;
            for (; i <= span.Length - Vector<uint>.Count; i += Vector<uint>.Count)
                acc = Vector.Max(acc, new Vector<uint>(span[i..]));
            for (var j = 0; j < Vector<uint>.Count; j++) max = Math.Max(max, acc[j]);
        }
        for (; i < span.Length; i++) max = Math.Max(max, span[i]);
        return max;
    }

    /// <summary>The smallest value (int.MaxValue for an empty span).</summary>
    public static int Min(ReadOnlySpan<int> values)
    {
        var i = 0;
        var min = int.MaxValue;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<int>.Count)
        {
            var acc = new Vector<int>(int.MaxValue);
            for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
                acc = Vector.Min(acc, new Vector<int>(values[i..]));
            for (var j = 0; j < Vector<int>.Count; j++) min = Math.Min(min, acc[j]);
        }
        for (; i < values.Length; i++) min = Math.Min(min, values[i]);
        return min;
    }
}
