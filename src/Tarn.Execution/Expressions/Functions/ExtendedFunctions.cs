namespace Tarn.Execution.Expressions.Functions;

/// <summary>Registers the kernels of the function families kept outside <see cref="FunctionLibrary"/>'s table.</summary>
internal static class ExtendedFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        RegexFunctions.Register(f);
        MoreStringFunctions.Register(f);
        MathFunctions.Register(f);
        MoreTemporalFunctions.Register(f);
        JsonFunctions.Register(f);
        MoreHashFunctions.Register(f);
        RaiseErrorFunction.Register(f);
        SessionFunctions.Register(f);
        ArrayFunctions.Register(f);
        TimeAttributeFunctions.Register(f);
    }
}
