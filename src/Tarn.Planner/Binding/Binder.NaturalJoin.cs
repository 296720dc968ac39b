using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>
    /// The columns of a NATURAL join: the visible names both sides have, in the left side's order (as USING would
    /// list them). A name that occurs twice on one side is ambiguous (42702), as in PostgreSQL.
    /// </summary>
    private static NodeList<Identifier> NaturalJoinColumns(Scope left, Scope right, SourcePosition position)
    {
        var names = new List<Identifier>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in left.Columns)
        {
            if (column.Hidden || !seen.Add(column.Name)) continue;
            if (!right.Columns.Any(c => !c.Hidden && string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase))) continue;
            names.Add(new Identifier(column.Name, Quoted: true, position));
        }
        return [.. names];
    }
}
