using Tarn.Catalog.Model;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

public sealed partial class Scope
{
    /// <summary>
    /// <c>row.field</c> and <c>relation.row.field</c> (fields of nested ROWs add parts): a field of a ROW column, which a connector scan produces as the
    /// column named "row.field" (see <see cref="ColumnLeaves"/>). Tried only when the reference is no relation.column,
    /// as in Flink, where a table alias wins over a ROW column of the same name. Returns -1 when nothing matches;
    /// a bare reference to a ROW column (whole-row value) is a 0A000 error.
    /// </summary>
    private int ResolveRowField(ColumnRef column)
    {
        var parts = column.Parts;
        if (parts.Count >= 2)
        {
            // relation.row.field[.field...] first (a table alias wins), then row.field[.field...]
            if (parts.Count >= 3 && FindLeaf(column, parts[0].Value, 1) is >= 0 and var qualified) return qualified;
            if (FindLeaf(column, null, 0) is >= 0 and var unqualified) return unqualified;
        }
        if (RowColumnExists(null, Joined(parts, 0)) || (parts.Count >= 2 && RowColumnExists(parts[0].Value, Joined(parts, 1))))
            throw new TarnException(SqlStates.FeatureNotSupported,
                $"column '{Joined(parts, 0)}' is a ROW; whole-row values are not supported yet, read its fields ({parts[^1].Value}.<field>) at {column.Position}", column.Position);
        return -1;
    }

    private static string Joined(NodeList<Identifier> parts, int from) => string.Join(ColumnLeaves.Separator, parts.Skip(from).Select(p => p.Value));

    /// <summary>The column named parts[from..] joined by dots, of <paramref name="relation"/> when given; -1 when none.</summary>
    private int FindLeaf(ColumnRef column, string? relation, int from)
    {
        var parts = column.Parts;
        var leaf = Joined(parts, from);
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
