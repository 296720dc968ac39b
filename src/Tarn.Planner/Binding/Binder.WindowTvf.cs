using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>
/// The window table-valued functions in FROM: <c>TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset]))</c>,
/// <c>HOP(data, timecol, slide, size [, offset])</c>, <c>CUMULATE(data, timecol, step, size [, offset])</c> and
/// <c>SESSION(TABLE t [PARTITION BY k], timecol, gap)</c>, with positional or named arguments (<c>DATA =&gt;</c>,
/// <c>TIMECOL =&gt;</c>, <c>SIZE =&gt;</c>, <c>SLIDE =&gt;</c>, <c>STEP =&gt;</c>, <c>GAP =&gt;</c>, <c>OFFSET =&gt;</c>).
/// The data argument is <c>TABLE name</c> (a table, view or WITH query) or a parenthesized query.
/// </summary>
public sealed partial class Binder
{
    private const long MaxWindowsPerRow = 10_000_000;

    private (LogicalPlan Plan, Scope Scope) BindFunctionTable(FunctionTable function)
    {
        var call = function.Call;
        var name = call.Name.Parts[^1].Value.ToUpperInvariant();
        WindowTvfKind kind;
        string[] parameters;
        switch (name)
        {
            case "TUMBLE": kind = WindowTvfKind.Tumble; parameters = ["DATA", "TIMECOL", "SIZE", "OFFSET"]; break;
            case "HOP": kind = WindowTvfKind.Hop; parameters = ["DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"]; break;
            case "CUMULATE": kind = WindowTvfKind.Cumulate; parameters = ["DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"]; break;
            case "SESSION": kind = WindowTvfKind.Session; parameters = ["DATA", "TIMECOL", "GAP"]; break;
            default:
                throw Error(SqlStates.UndefinedFunction, $"table function {name} does not exist (window functions: TUMBLE, HOP, CUMULATE, SESSION)", call.Position);
        }
        if (function.Lateral) throw Error(SqlStates.FeatureNotSupported, $"LATERAL TABLE({name}(...)) is not supported: {name} is a window function over a whole table", function.Position);
        if (call.Distinct || call.Filter is not null || call.Over is not null)
            throw Error(SqlStates.SyntaxError, $"{name} is a table function: DISTINCT, FILTER and OVER do not apply", call.Position);

        var args = WindowTvfArguments(name, call, parameters);
        var (input, inputScope) = BindWindowTvfData(name, args["DATA"]);

        var timeColumn = WindowTvfTimeColumn(name, args.GetValueOrDefault("TIMECOL"), inputScope, call.Position);
        long size, step = 0, offset = 0;
        if (kind == WindowTvfKind.Session)
        {
            size = WindowTvfMillis(name, "GAP", args.GetValueOrDefault("GAP"), call.Position, positive: true);
        }
        else
        {
            size = WindowTvfMillis(name, "SIZE", args.GetValueOrDefault("SIZE"), call.Position, positive: true);
            if (kind == WindowTvfKind.Hop) step = WindowTvfMillis(name, "SLIDE", args.GetValueOrDefault("SLIDE"), call.Position, positive: true);
            if (kind == WindowTvfKind.Cumulate) step = WindowTvfMillis(name, "STEP", args.GetValueOrDefault("STEP"), call.Position, positive: true);
            if (args.TryGetValue("OFFSET", out var offsetArgument)) offset = WindowTvfMillis(name, "OFFSET", offsetArgument, call.Position, positive: false);
        }
        // HOP and CUMULATE emit a row once per window it is in; keep that count an int (and an answer finite).
        if (kind is WindowTvfKind.Hop or WindowTvfKind.Cumulate && size / step > MaxWindowsPerRow)
            throw Error(SqlStates.ProgramLimitExceeded, $"{name} would put each row in {size / step} windows (size {size}ms / {(kind == WindowTvfKind.Hop ? "slide" : "step")} {step}ms); the limit is {MaxWindowsPerRow}", call.Position);
        if (kind == WindowTvfKind.Cumulate && size % step != 0)
            throw Error(SqlStates.InvalidParameterValue, $"CUMULATE requires the size to be an integral multiple of the step, but got size {size}ms and step {step}ms", call.Position);

        var partition = new List<int>();
        if (args["DATA"] is TableArgument { PartitionBy.IsEmpty: false } table)
        {
            if (kind != WindowTvfKind.Session)
                throw Error(SqlStates.SyntaxError, $"{name} does not take PARTITION BY; only SESSION windows are partitioned", table.Position);
            foreach (var key in table.PartitionBy) partition.Add(inputScope.Resolve(new ColumnRef([key], key.Position)));
        }

        var plan = new LogicalWindowTvf(input, kind, timeColumn, size, step, offset, partition);
        var relation = function.Alias?.Name.Value ?? inputScope.Columns.FirstOrDefault()?.Relation;
        return Aliased(plan, function.Alias, relation);
    }

    /// <summary>The arguments by parameter name: all positional or all named (Flink's rule), each at most once.</summary>
    private static Dictionary<string, Expression> WindowTvfArguments(string function, FunctionCall call, string[] parameters)
    {
        var args = new Dictionary<string, Expression>(StringComparer.OrdinalIgnoreCase);
        var named = call.Arguments.Count > 0 && call.Arguments[0] is NamedArgument;
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var argument = call.Arguments[i];
            if (argument is NamedArgument n != named)
                throw Error(SqlStates.SyntaxError, $"{function} takes its arguments either all by position or all by name", argument.Position);
            string parameter;
            Expression value;
            if (argument is NamedArgument na)
            {
                parameter = na.Name.Value.ToUpperInvariant();
                if (Array.IndexOf(parameters, parameter) < 0)
                    throw Error(SqlStates.SyntaxError, $"{function} has no parameter {parameter} (parameters: {string.Join(", ", parameters)})", na.Position);
                value = na.Value;
            }
            else
            {
                if (i >= parameters.Length)
                    throw Error(SqlStates.UndefinedFunction, $"{function} takes at most {parameters.Length} arguments ({string.Join(", ", parameters)}), got {call.Arguments.Count}", argument.Position);
                parameter = parameters[i];
                value = argument;
            }
            if (!args.TryAdd(parameter, value))
                throw Error(SqlStates.SyntaxError, $"{function} argument {parameter} is given twice", argument.Position);
        }
        foreach (var required in parameters)
            if (required != "OFFSET" && !args.ContainsKey(required))
                throw Error(SqlStates.UndefinedFunction, $"{function} needs the argument {required} ({function}({string.Join(", ", parameters)}))", call.Position);
        return args;
    }

    /// <summary>The DATA argument: TABLE name (table, view or WITH query) or a parenthesized query.</summary>
    private (LogicalPlan Plan, Scope Scope) BindWindowTvfData(string function, Expression data) => data switch
    {
        TableArgument table => BindTableReference(new NamedTable(table.Table, [], null, null, table.Position)),
        ScalarSubquery query => BindTableReference(new DerivedTable(query.Query, false, null, query.Position)),
        _ => throw Error(SqlStates.DatatypeMismatch, $"the first argument of {function} must be a table: TABLE name or (SELECT ...)", data.Position),
    };

    private static int WindowTvfTimeColumn(string function, Expression? argument, Scope scope, SourcePosition position)
    {
        if (argument is not DescriptorExpression { Columns.Count: 1 } descriptor)
            throw Error(SqlStates.DatatypeMismatch, $"the time argument of {function} must be DESCRIPTOR(column) with one column", argument?.Position ?? position);
        var column = descriptor.Columns[0];
        var index = scope.Resolve(new ColumnRef([column], column.Position));
        var type = scope.Columns[index].Type;
        if (type.Kind is not (TypeKind.Timestamp or TypeKind.TimestampLtz))
            throw Error(SqlStates.DatatypeMismatch,
                $"{function} requires the time column to be a TIMESTAMP or TIMESTAMP_LTZ (a time attribute), but '{column.Value}' is {type}", column.Position);
        return index;
    }

    /// <summary>A constant day-time interval argument in milliseconds.</summary>
    private long WindowTvfMillis(string function, string parameter, Expression? argument, SourcePosition position, bool positive)
    {
        if (argument is null) throw Error(SqlStates.UndefinedFunction, $"{function} needs the argument {parameter}", position);
        var bound = BindExpression(argument, Scope.Empty);
        var negate = false;
        while (bound is BoundNegate neg)
        {
            negate = !negate;
            bound = neg.Operand;
        }
        if (bound is not BoundLiteral { Value: long micros } literal || literal.Type.Kind != TypeKind.IntervalDayTime)
            throw Error(SqlStates.DatatypeMismatch, $"{function} argument {parameter} must be a constant day-time INTERVAL such as INTERVAL '10' MINUTE, got {bound.Type}", argument.Position);
        if (negate) micros = -micros;
        if (micros % 1000 != 0)
            throw Error(SqlStates.InvalidParameterValue, $"{function} argument {parameter} must be a whole number of milliseconds", argument.Position);
        var millis = micros / 1000;
        if (positive && millis <= 0)
            throw Error(SqlStates.InvalidParameterValue, $"{function} argument {parameter} must be a positive interval, got {millis}ms", argument.Position);
        return millis;
    }
}
