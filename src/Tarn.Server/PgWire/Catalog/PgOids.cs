using System.Text;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>
/// OIDs for Tarn's objects: a hash of the object's kind and full name (FNV-1a, case-insensitive), placed above
/// PostgreSQL's first user OID (16384). The same name gives the same OID in every session and after every restart;
/// renaming an object changes its OID, as dropping and re-creating one does in PostgreSQL.
/// </summary>
internal static class PgOids
{
    public const int FirstUserOid = 16384;
    public const int PublicNamespace = 2200;
    public const int InformationSchemaNamespace = 13000;
    public const int HeapAccessMethod = 2;
    public const int BtreeAccessMethod = 403;
    public const int OwnerRole = 10;

    public static int Stable(string kind, string catalog, string database, string name = "")
    {
        var text = string.Join('\u0001', kind, catalog, database, name).ToUpperInvariant();
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return FirstUserOid + (int)(hash % (uint)(int.MaxValue - FirstUserOid));
    }
}
