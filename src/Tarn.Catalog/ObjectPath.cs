namespace Tarn.Catalog;

/// <summary>A fully qualified object name: catalog.database.object.</summary>
public sealed record ObjectPath(string Catalog, string Database, string Name)
{
    public override string ToString() => $"{Catalog}.{Database}.{Name}";
}
