namespace Tarn.Execution.Tests;

/// <summary>Iteration counts for property tests; set TARN_PROPERTY_SCALE (e.g. 20) to run longer searches locally.</summary>
internal static class PropertySettings
{
    private static readonly int s_scale = int.TryParse(Environment.GetEnvironmentVariable("TARN_PROPERTY_SCALE"), out var s) && s > 0 ? s : 1;

    public static int Iter(int baseline) => baseline * s_scale;
}
