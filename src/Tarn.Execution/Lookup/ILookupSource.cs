using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Lookup;

/// <summary>One row of a lookup source's answer: row <see cref="Row"/> of <see cref="Batch"/> (shared, never modified).</summary>
public readonly record struct LookupRow(ColumnBatch Batch, int Row);

/// <summary>
/// The dimension side of a lookup join: a table that can be probed by key. Native tables implement it over their
/// current version; connectors (JDBC, SQLite, ...) implement it with their own point queries. Keys arrive in
/// batches of distinct keys; the caches (<see cref="LookupCaches"/>) sit in front and are shared by every source.
/// </summary>
public interface ILookupSource : IDisposable
{
    /// <summary>Types of the rows the source returns (every column of the dimension, as the join reads them).</summary>
    IReadOnlyList<DataType> RowTypes { get; }

    /// <summary>Positions of the lookup key columns in a returned row, in key order.</summary>
    IReadOnlyList<int> KeyColumns { get; }

    /// <summary>
    /// Looks up distinct keys: row i of <paramref name="keys"/> (one column per key column, of the key columns'
    /// types; never NULL) whose encoding (<see cref="LookupKeyCodec"/>) is <paramref name="encodedKeys"/>[i].
    /// Sets <paramref name="results"/>[i] to the matching rows (an empty array when none match).
    /// </summary>
    void Lookup(ColumnBatch keys, IReadOnlyList<byte[]> encodedKeys, LookupRow[][] results);

    /// <summary>Every row of the dimension (a FULL cache loads and reloads from it).</summary>
    IEnumerable<ColumnBatch> ScanAll();
}
