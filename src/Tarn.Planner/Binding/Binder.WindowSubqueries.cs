using Tarn.Planner.Expressions;

namespace Tarn.Planner.Binding;

/// <summary>
/// Subqueries inside window calls (arguments, PARTITION BY, ORDER BY) and QUALIFY are attached below the window node
/// like those of the select list; their placeholder columns are renumbered to the applies' result columns before the
/// window node is built.
/// </summary>
public sealed partial class Binder
{
    private static BoundExpression? RemapWindowSubqueries(WindowBindingState? windows, BoundExpression? qualify, int placeholderBase, int hostWidth)
    {
        if (windows is not null)
            for (var i = 0; i < windows.Functions.Count; i++)
                windows.Functions[i] = windows.Functions[i].MapExpressions(e => RemapPlaceholders(e, placeholderBase, hostWidth));
        return qualify is null ? null : RemapPlaceholders(qualify, placeholderBase, hostWidth);
    }
}
