using Tarn.Catalog.Model;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Scope
{
    /// <summary>
    /// <c>row.field</c> and <c>relation.row.field</c>: a field of a ROW column, which a connector scan produces as the
    /// column named "row.field" (see <see cref="ColumnLeaves"/>). Tried only when the reference is no relation.column,
    /// as in Flink, where a table alias wins over a ROW column of the same name. Returns -1 when nothing matches;
    /// a bare reference to a ROW column (whole-row value) is a 0A000 error.
    /// </summary>
    private int ResolveRowField(ColumnRef column)
    {
        var parts = column.Parts;
        if (parts.Count == 1 ? RowColumnExists(null, parts[0].Value) : parts.Count == 2 && RowColumnExists(parts[0].Value, parts[1].Value))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"column '{string.Join('.', parts.Select(p => p.Value))}' is a ROW; whole-row values are not supported yet, read its fields ({parts[^1].Value}.<field>) at {column.Position}", column.Position);
        if (parts.Count == 1) return -1;
        var leaf = parts[^2].Value + ColumnLeaves.Separator + parts[^1].Value;
        var relation = parts.Count >= 3 ? parts[^3].Value : null;
        var found = -1;
        for (var i = 0; i < Columns.Count; i++)
        {
            var c = Columns[i];
            if (!string.Equals(c.Name, leaf, StringComparison.OrdinalIgnoreCase)) continue;
            if (relation is not null && !string.Equals(c.Relation, relation, StringComparison.OrdinalIgnoreCase)) continue;
            if (found >= 0)
                throw new TarnException(SqlStates.AmbiguousColumn, $"column reference '{string.Join('.', parts.Select(p => p.Value))}' is ambiguous at {column.Position}", column.Position);
            found = i;
        }
        return found;
    }

    /// <summary>True when some column is a field of a ROW column named <paramref name="row"/> (of <paramref name="relation"/>, if given).</summary>
    private bool RowColumnExists(string? relation, string row)
    {
        foreach (var c in Columns)
        {
            if (c.Name.Length <= row.Length || c.Name[row.Length] != ColumnLeaves.Separator) continue;
            if (!c.Name.StartsWith(row, StringComparison.OrdinalIgnoreCase)) continue;
            if (relation is null || string.Equals(c.Relation, relation, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
