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

    private List<MacroFrame>? _ownMacroFrames;

    /// <summary>
    /// The expansions in progress, shared with the binders of subqueries (through <c>_outer</c>): a parameter used in a
    /// subquery of the body is substituted there, and a macro reached again inside a subquery is still recursion.
    /// </summary>
    private List<MacroFrame> MacroFrames => _outer is { } outer ? outer.Binder.MacroFrames : _ownMacroFrames ??= [];

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
        CheckMacroCall(f, macro, name, MacroFrames.Any(frame => ReferenceEquals(frame.Macro, macro) || SameMacro(frame.Macro, macro)));
        var body = ParseMacroBody(macro, name, f.Position);
        var frames = MacroFrames;
        frames.Add(new MacroFrame(macro, f.Arguments));
        try
        {
            return BindExpression(body, scope, aggregation);
        }
        finally
        {
            frames.RemoveAt(frames.Count - 1);
        }
    }

    /// <summary>
    /// <paramref name="node"/> with every call of a macro replaced by the macro's body, its parameters replaced by the
    /// (expanded) argument trees: so the analyses that read syntax (aggregates, subqueries, grouping) see what the
    /// macros stand for. Calls inside view bodies are expanded when those are bound; anything left is expanded by
    /// <see cref="TryExpandMacro"/> as it binds.
    /// </summary>
    private T ExpandMacroCalls<T>(T node) where T : Node
    {
        if (_context.TemporaryMacros is null && !HasAnyMacro()) return node;
        return ExpandMacroCalls(node, []);
    }

    private T ExpandMacroCalls<T>(T node, List<MacroDef> active) where T : Node =>
        AstRewriter.Rewrite(node, n => n is FunctionCall { Over: null, Distinct: false, Filter: null } f && !IsAggregateCall(f) && FindMacro(f.Name) is { } macro
            ? ExpandMacroCall(f, macro, active)
            : null);

    private Expression ExpandMacroCall(FunctionCall f, MacroDef macro, List<MacroDef> active)
    {
        var name = string.Join('.', f.Name.Parts.Select(p => p.Value));
        CheckMacroCall(f, macro, name, active.Any(m => ReferenceEquals(m, macro) || SameMacro(m, macro)));
        var arguments = f.Arguments.Select(a => ExpandMacroCalls(a, active)).ToList();
        var body = ParseMacroBody(macro, name, f.Position);
        var substituted = AstRewriter.Rewrite(body, n =>
            n is ColumnRef { Parts.Count: 1 } c && macro.IndexOfParameter(c.Parts[0].Value) is >= 0 and var i ? arguments[i] : null);
        active.Add(macro);
        try
        {
            return ExpandMacroCalls(substituted, active);
        }
        finally
        {
            active.RemoveAt(active.Count - 1);
        }
    }

    private static bool SameMacro(MacroDef a, MacroDef b) => string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && a.Body == b.Body;

    private static void CheckMacroCall(FunctionCall f, MacroDef macro, string name, bool recursive)
    {
        if (f.Arguments.Count != macro.Parameters.Count)
            throw Error(SqlStates.UndefinedFunction,
                $"function {name} takes {macro.Parameters.Count} argument{(macro.Parameters.Count == 1 ? "" : "s")}, not {f.Arguments.Count}", f.Position);
        if (recursive)
            throw Error(SqlStates.InvalidRecursion, $"function {name} calls itself (recursive SQL functions are not supported)", f.Position);
        foreach (var a in f.Arguments)
            if (a is StarExpression) throw Error(SqlStates.SyntaxError, $"'*' is not a valid argument of {name}", a.Position);
    }

    private static Expression ParseMacroBody(MacroDef macro, string name, SourcePosition position)
    {
        try
        {
            return SqlParser.ParseExpression(macro.Body);
        }
        catch (TarnException e)
        {
            throw Error(SqlStates.SyntaxError, $"the body of function {name} does not parse ({e.Message})", position);
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
        var frames = MacroFrames;
        var top = frames[^1];
        var index = top.Macro.IndexOfParameter(c.Parts[0].Value);
        if (index < 0) return null;
        // The argument belongs to the caller: bind it with this macro's frame (and any inner ones) set aside.
        var depth = frames.Count - 1;
        var saved = frames.GetRange(depth, frames.Count - depth);
        frames.RemoveRange(depth, saved.Count);
        try
        {
            return BindExpression(top.Arguments[index], scope, aggregation);
        }
        finally
        {
            frames.AddRange(saved);
        }
    }
}
