using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>
/// Functions that read session state at execution time: <c>CURRENT_SETTING(name)</c> (a session option's value) and
/// the sequence functions <c>NEXTVAL(name)</c> / <c>CURRVAL(name)</c> (PostgreSQL/DuckDB). NEXTVAL and CURRVAL are
/// volatile (see <see cref="BoundExpression.IsVolatile"/>): never folded, moved or shared.
/// </summary>
public static partial class FunctionRegistry
{
    /// <summary>The sequence functions: each evaluation may return a new value.</summary>
    public static bool IsSequenceFunction(string name) => name is "NEXTVAL" or "CURRVAL";

    private static void RegisterSessionFunctions()
    {
        Add("CURRENT_SETTING", "CURRENT_SETTING(name)", a =>
            a is [var s] && Str(s.Type) ? Call("CURRENT_SETTING", a, [DataType.String], DataType.String, alwaysNullable: true) : null);
        Add("NEXTVAL", "NEXTVAL(sequence_name)", a =>
            a is [var s] && Str(s.Type) ? Call("NEXTVAL", a, [DataType.String], DataType.BigInt) : null);
        Add("CURRVAL", "CURRVAL(sequence_name)", a =>
            a is [var s] && Str(s.Type) ? Call("CURRVAL", a, [DataType.String], DataType.BigInt) : null);
    }
}
