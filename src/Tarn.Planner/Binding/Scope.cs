using Tarn.Planner.Logical;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

/// <summary>A column visible to expressions: which relation (alias) it belongs to, its name, its type.</summary>
public sealed record ScopeColumn(string? Relation, string Name, DataType Type, bool Hidden = false);

/// <summary>The columns an expression can refer to, in input order (index = position in the input batch).</summary>
public sealed partial class Scope
{
    public static readonly Scope Empty = new([]);

    public Scope(IReadOnlyList<ScopeColumn> columns) => Columns = columns;

    public IReadOnlyList<ScopeColumn> Columns { get; }

    public static Scope FromOutput(IReadOnlyList<OutputColumn> output, string? relation) =>
        new(output.Select(c => new ScopeColumn(relation, c.Name, c.Type)).ToList());

    /// <summary>Finds a column by (optionally qualified) name; throws 42703 when missing, 42702 when ambiguous.</summary>
    public int Resolve(ColumnRef column)
    {
        var parts = column.Parts;
        var name = parts[^1].Value;
        var relation = parts.Count >= 2 ? parts[^2].Value : null;
        if (parts.Count >= 3 && ResolveRowField(column) is >= 0 and var field) return field; // relation.row.field
        var found = -1;
        for (var i = 0; i < Columns.Count; i++)
        {
            var c = Columns[i];
            if (!string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (relation is not null && !string.Equals(c.Relation, relation, StringComparison.OrdinalIgnoreCase)) continue;
            if (found >= 0 && c.Hidden && relation is null) continue; // a USING column's second copy
            if (found >= 0 && Columns[found].Hidden && relation is null) { found = i; continue; }
            if (found >= 0)
                throw new TarnException(SqlStates.AmbiguousColumn, $"column reference '{string.Join('.', parts.Select(p => p.Value))}' is ambiguous at {column.Position}", column.Position);
            found = i;
        }
        if (found < 0) found = ResolveRowField(column);
        if (found < 0)
        {
            var known = string.Join(", ", Columns.Where(c => !c.Hidden).Select(c => c.Name).Distinct().Take(20));
            throw new TarnException(SqlStates.UndefinedColumn,
                $"column '{string.Join('.', parts.Select(p => p.Value))}' does not exist at {column.Position}" + (known.Length > 0 ? $" (available: {known})" : ""), column.Position);
        }
        return found;
    }
}
