namespace Tarn.Storage.Segments;

/// <summary>IEEE 754 total order on doubles: -NaN &lt; -Inf &lt; ... &lt; -0.0 &lt; +0.0 &lt; ... &lt; +Inf &lt; +NaN.</summary>
internal static class TotalOrder
{
    public static long Key(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return bits >= 0 ? bits : bits ^ long.MaxValue;
    }

    public static int Compare(double a, double b) => Key(a).CompareTo(Key(b));
}
