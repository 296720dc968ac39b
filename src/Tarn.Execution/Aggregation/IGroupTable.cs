using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

/// <summary>
/// Maps grouping keys to dense group ids 0, 1, 2, ... (not necessarily in order of first appearance) and stores
/// each group's key.
/// NULL keys form their own group (GROUP BY treats NULLs as equal).
/// </summary>
public interface IGroupTable
{
    int Count { get; }

    /// <summary>Writes the group id of rows [0, n) of the key columns to <paramref name="groupIds"/>, adding new groups.</summary>
    void FindOrInsert(ColumnVector[] keys, int n, int[] groupIds);

    /// <summary>
    /// Writes the group id of rows [0, n) of the key columns to <paramref name="groupIds"/>, or -1 when the key has no
    /// group; never adds groups (a spilling aggregation keeps its existing groups and spills rows of new ones).
    /// </summary>
    void Find(ColumnVector[] keys, int n, int[] groupIds);

    /// <summary>The keys of groups [start, start+count) of key column <paramref name="column"/>.</summary>
    ColumnVector Keys(int column, int start, int count);

    /// <summary>Approximate heap bytes held.</summary>
    long MemoryBytes { get; }
}

/// <summary>Picks the group table for a list of key types.</summary>
public static class GroupTables
{
    public static IGroupTable Create(IReadOnlyList<Tarn.Types.DataType> keyTypes)
    {
        if (keyTypes.Count == 1 && IntegerGroupTable.Supports(keyTypes[0])) return new IntegerGroupTable(keyTypes[0]);
        if (keyTypes.Count == 1 && keyTypes[0].Physical == Tarn.Types.PhysicalType.Binary) return new StringGroupTable(keyTypes[0]);
        return new GeneralGroupTable(keyTypes);
    }
}
