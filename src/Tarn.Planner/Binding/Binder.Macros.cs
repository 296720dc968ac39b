using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Scalar SQL macros (<c>CREATE FUNCTION f(a, b) AS expression</c>): a call binds the macro's body with each
/// parameter standing for the argument's syntax tree, bound where the parameter appears (textual substitution, as
/// DuckDB does), so arguments may reference outer columns, aggregates or subqueries like any written expression.
/// A body sees only its own macro's parameters; an argument is bound outside the macro it is passed to. A macro that
/// calls itself, directly or through others, is an error.
/// </summary>
public sealed partial class Binder
{
    /// <summary>One macro expansion in progress: the macro and the argument trees for its parameters.</summary>
    private sealed record MacroFrame(MacroDef Macro, IReadOnlyList<Expression> Arguments);

    private readonly List<MacroFrame> _macroFrames = [];

    private MacroDef? FindMacro(QualifiedName name)
    {
        if (name.Parts.Count > 3) return null;
        var parts = new string[name.Parts.Count];
        for (var i = 0; i < parts.Length; i++) parts[i] = name.Parts[i].Value;
        var path = _context.Resolve(parts, name.Position);
        return _context.TemporaryMacros?.GetValueOrDefault(path.ToString()) ?? _context.Catalog.FindMacro(path);
    }

    private BoundExpression? TryExpandMacro(FunctionCall f, Scope scope, AggregationState? aggregation)
    {
        if (f.Over is not null || f.Distinct || f.Filter is not null) return null;
        if (_context.TemporaryMacros is null && !HasAnyMacro()) return null;
        if (FindMacro(f.Name) is not { } macro) return null;
        var name = string.Join('.', f.Name.Parts.Select(p => p.Value));
        if (f.Arguments.Count != macro.Parameters.Count)
            throw Error(SqlStates.UndefinedFunction,
                $"function {name} takes {macro.Parameters.Count} argument{(macro.Parameters.Count == 1 ? "" : "s")}, not {f.Arguments.Count}", f.Position);
        foreach (var frame in _macroFrames)
            if (ReferenceEquals(frame.Macro, macro) || string.Equals(frame.Macro.Name, macro.Name, StringComparison.OrdinalIgnoreCase) && frame.Macro.Body == macro.Body)
                throw Error(SqlStates.InvalidRecursion, $"function {name} calls itself (recursive SQL functions are not supported)", f.Position);
        foreach (var a in f.Arguments)
            if (a is StarExpression) throw Error(SqlStates.SyntaxError, $"'*' is not a valid argument of {name}", a.Position);
        Expression body;
        try
        {
            body = SqlParser.ParseExpression(macro.Body);
        }
        catch (TarnException e)
        {
            throw Error(SqlStates.SyntaxError, $"the body of function {name} does not parse ({e.Message})", f.Position);
        }
        _macroFrames.Add(new MacroFrame(macro, f.Arguments));
        try
        {
            return BindExpression(body, scope, aggregation);
        }
        finally
        {
            _macroFrames.RemoveAt(_macroFrames.Count - 1);
        }
    }

    private bool HasAnyMacro()
    {
        foreach (var c in _context.Catalog.Current.Catalogs)
            foreach (var d in c.Databases)
                if (d.Macros.Count > 0) return true;
        return false;
    }

    /// <summary>A one-part name inside a macro body that names one of its parameters: binds the argument there.</summary>
    private BoundExpression? TryBindMacroParameter(ColumnRef c, Scope scope, AggregationState? aggregation)
    {
        var top = _macroFrames[^1];
        var index = top.Macro.IndexOfParameter(c.Parts[0].Value);
        if (index < 0) return null;
        // The argument belongs to the caller: bind it with this macro's frame (and any inner ones) set aside.
        var depth = _macroFrames.Count - 1;
        var saved = _macroFrames.GetRange(depth, _macroFrames.Count - depth);
        _macroFrames.RemoveRange(depth, saved.Count);
        try
        {
            return BindExpression(top.Arguments[index], scope, aggregation);
        }
        finally
        {
            _macroFrames.AddRange(saved);
        }
    }
}
