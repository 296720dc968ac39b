namespace Tarn.Types;

/// <summary>A named field of a ROW type.</summary>
public sealed record RowField(string Name, DataType Type);

/// <summary>
/// ROW&lt;name type, ...&gt;: Flink's structured row type. Tarn keeps it in the catalog for connector tables (the
/// Nexmark DDL declares its events this way); queries read the fields (<c>person.id</c>), which scans produce as
/// separate columns, so a ROW value itself never lives in a vector.
/// </summary>
public sealed partial record DataType
{
    /// <summary>The fields of a ROW, in order; null for every other kind.</summary>
    public IReadOnlyList<RowField>? Fields { get; init; }

    public bool IsRow => Kind == TypeKind.Row;

    public static DataType Row(IReadOnlyList<RowField> fields) => new(TypeKind.Row) { Fields = fields };

    /// <summary>The field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public RowField? FindField(string name)
    {
        if (Fields is null) return null;
        foreach (var f in Fields)
            if (string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) return f;
        return null;
    }

    private static bool SameFields(IReadOnlyList<RowField>? a, IReadOnlyList<RowField>? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!string.Equals(a[i].Name, b[i].Name, StringComparison.Ordinal) || !a[i].Type.Equals(b[i].Type)) return false;
        return true;
    }

    private string RowSql()
    {
        var parts = new string[Fields?.Count ?? 0];
        for (var i = 0; i < parts.Length; i++) parts[i] = $"`{Fields![i].Name.Replace("`", "``", StringComparison.Ordinal)}` {Fields[i].Type.ToSql()}";
        return $"ROW<{string.Join(", ", parts)}>";
    }
}
