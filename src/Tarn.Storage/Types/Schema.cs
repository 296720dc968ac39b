namespace Tarn.Types;

/// <summary>
/// A column of a stored schema. <see cref="Id"/> is stable for the life of the table (ALTER TABLE ADD COLUMN
/// gives the new column the next id), so a segment written before a schema change is still read correctly:
/// readers match columns by id, never by position.
/// </summary>
public sealed record Column(int Id, string Name, DataType Type);

/// <summary>An ordered list of columns with case-insensitive name lookup (Flink identifiers are case-sensitive,
/// but we match PostgreSQL and DuckDB users' expectations: unquoted names are compared ignoring case).</summary>
public sealed class Schema
{
    private readonly Dictionary<string, int> _byName;

    public Schema(IReadOnlyList<Column> columns)
    {
        Columns = columns;
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!_byName.TryAdd(columns[i].Name, i))
                throw new TarnException(SqlStates.DuplicateColumn, $"duplicate column name '{columns[i].Name}'");
        }
    }

    public IReadOnlyList<Column> Columns { get; }
    public int Count => Columns.Count;
    public Column this[int index] => Columns[index];

    public int IndexOf(string name) => _byName.TryGetValue(name, out var i) ? i : -1;

    public int IndexOfId(int id)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i].Id == id) return i;
        return -1;
    }

    public int NextColumnId
    {
        get
        {
            var max = -1;
            foreach (var c in Columns) max = Math.Max(max, c.Id);
            return max + 1;
        }
    }

    public static Schema Of(params (string Name, DataType Type)[] columns)
    {
        var list = new Column[columns.Length];
        for (var i = 0; i < columns.Length; i++) list[i] = new Column(i, columns[i].Name, columns[i].Type);
        return new Schema(list);
    }

    public bool SameAs(Schema other)
    {
        if (other.Count != Count) return false;
        for (var i = 0; i < Count; i++)
            if (!Columns[i].Equals(other.Columns[i])) return false;
        return true;
    }
}
