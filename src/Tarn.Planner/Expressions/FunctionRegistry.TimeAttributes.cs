using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// Flink's time-attribute functions: <c>PROCTIME()</c> (the processing time, TIMESTAMP_LTZ(3); in a batch query the
/// query's start time, like CURRENT_TIMESTAMP) and <c>CURRENT_WATERMARK(rowtime)</c> (the current watermark of the
/// time column's stream, of the column's type with precision 3; NULL while none has been emitted, so always NULL in
/// a batch query). The streaming runtime gives both their per-row meaning.
/// </summary>
public static partial class FunctionRegistry
{
    private static void RegisterTimeAttributeFunctions()
    {
        Add("PROCTIME", "PROCTIME()", a => a.Count == 0 ? Call("PROCTIME", a, [], DataType.TimestampLtz(3).WithNullable(false)) : null);
        Add("CURRENT_WATERMARK", "CURRENT_WATERMARK(time_column)", a => a switch
        {
            [var t] when t.Type.Kind == TypeKind.Timestamp => Call("CURRENT_WATERMARK", a, [t.Type], DataType.Timestamp(3), alwaysNullable: true),
            [var t] when t.Type.Kind == TypeKind.TimestampLtz => Call("CURRENT_WATERMARK", a, [t.Type], DataType.TimestampLtz(3), alwaysNullable: true),
            _ => null,
        });
    }
}
