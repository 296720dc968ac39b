namespace Tarn.Types;

/// <summary>
/// The collation of a string type (<c>VARCHAR COLLATE NOCASE</c>): how values compare, group and sort, not how they
/// are stored. It rides along with the type through expressions, but is not part of type identity: types that differ
/// only in collation are <see cref="Equals(DataType?)"/> (no cast is needed between them, and the storage formats do
/// not record it; the catalog keeps a column's collation). The binder applies it (see Tarn.Planner's Collations).
/// </summary>
public sealed partial record DataType
{
    /// <summary>Upper-case collation name (<c>NOCASE</c>), or null for the default binary (code point) order.</summary>
    public string? Collation { get; init; }

    public DataType WithCollation(string? collation) => string.Equals(collation, Collation, StringComparison.Ordinal) ? this : this with { Collation = collation };

    /// <summary>Every property but <see cref="Collation"/> (an ARRAY's element type included).</summary>
    public bool Equals(DataType? other) =>
        other is not null && Kind == other.Kind && Precision == other.Precision && Scale == other.Scale && Length == other.Length && Nullable == other.Nullable
        && Equals(Element, other.Element) && SameFields(Fields, other.Fields);

    public override int GetHashCode() => HashCode.Combine(Kind, Precision, Scale, Length, Nullable, Element, Fields?.Count);
}
