namespace Tarn;

/// <summary>Read access to the catalog for endpoints that describe it (the PostgreSQL endpoint's pg_catalog).</summary>
public sealed partial class TarnSession
{
    /// <summary>The catalog as of now: an immutable image of every catalog, database, table and view.</summary>
    public Catalog.Model.CatalogImage CatalogSnapshot => Core.Catalog.Current;
}
