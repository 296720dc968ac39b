using Tarn.Types;

namespace Tarn.Catalog.Model;

/// <summary>A column as scans produce it: a physical column, or one field of a ROW column named <c>row.field</c>.</summary>
public sealed record LeafColumn(string Name, DataType Type);

/// <summary>
/// The physical columns of a table with ROW columns flattened into their fields (depth first, in declaration order):
/// connector scans produce one vector per leaf, and <c>person.id</c> binds to the leaf named "person.id". Tables without
/// ROW columns have exactly their physical columns as leaves.
/// </summary>
public static class ColumnLeaves
{
    /// <summary>Separates a ROW column's name from its field names in leaf names.</summary>
    public const char Separator = '.';

    public static IReadOnlyList<LeafColumn> Physical(TableDef table) => Of(table.Columns.Where(c => c.IsPhysical));

    public static IReadOnlyList<LeafColumn> Of(IEnumerable<ColumnDef> columns)
    {
        var leaves = new List<LeafColumn>();
        foreach (var c in columns) Add(leaves, c.Name, c.Type);
        return leaves;
    }

    /// <summary>The leaves of one column (itself, unless it is a ROW).</summary>
    public static IReadOnlyList<LeafColumn> Of(ColumnDef column)
    {
        var leaves = new List<LeafColumn>();
        Add(leaves, column.Name, column.Type);
        return leaves;
    }

    public static bool HasRows(TableDef table) => table.Columns.Any(c => c.Type.IsRow);

    private static void Add(List<LeafColumn> leaves, string name, DataType type)
    {
        if (!type.IsRow)
        {
            leaves.Add(new LeafColumn(name, type));
            return;
        }
        // A field of a NULL row is NULL, so fields of nullable rows are nullable.
        foreach (var f in type.Fields!) Add(leaves, name + Separator + f.Name, type.Nullable ? f.Type.WithNullable(true) : f.Type);
    }
}
