namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Batch kernels of PROCTIME() (the query's start time, as CURRENT_TIMESTAMP) and CURRENT_WATERMARK(col) (NULL: a
/// batch query has no watermark).
/// </summary>
internal static class TimeAttributeFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["PROCTIME"] = (c, _, ctx) => new ConstantExpression(c.Type, CurrentTime.Value("CURRENT_TIMESTAMP", ctx));
        f["CURRENT_WATERMARK"] = (c, _, _) => new ConstantExpression(c.Type, null);
    }
}
