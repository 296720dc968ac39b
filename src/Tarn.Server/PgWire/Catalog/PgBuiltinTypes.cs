namespace Tarn.Server.PgWire.Catalog;

/// <summary>One row of pg_type: a PostgreSQL built-in type (PostgreSQL's own OIDs, names and attributes).</summary>
internal sealed record PgTypeRow(
    int Oid,
    string Name,
    int ArrayOid,
    char TypType,
    char Category,
    short Length,
    bool ByValue,
    int Element,
    string Receive,
    string FormatName)
{
    public bool IsArray => Receive == "array_recv";
}

/// <summary>
/// The built-in types pg_type lists: the base types Npgsql knows (what its NoTypeLoading table holds), their array
/// types and the pseudo-types record, void and unknown. Tarn's columns map onto a subset (see <see cref="PgColumnTypes"/>);
/// the rest are here so clients can bind parameters of those types and resolve every OID the server sends.
/// </summary>
internal static class PgBuiltinTypes
{
    public const int PgCatalogNamespace = 11;

    // oid, name, array oid, typtype, category, typlen, byval, receive function, format_type name
    private static readonly (int, string, int, char, char, short, bool, string, string)[] Base =
    [
        (16, "bool", 1000, 'b', 'B', 1, true, "boolrecv", "boolean"),
        (17, "bytea", 1001, 'b', 'U', -1, false, "bytearecv", "bytea"),
        (18, "char", 1002, 'b', 'Z', 1, true, "charrecv", "\"char\""),
        (19, "name", 1003, 'b', 'S', 64, false, "namerecv", "name"),
        (20, "int8", 1016, 'b', 'N', 8, true, "int8recv", "bigint"),
        (21, "int2", 1005, 'b', 'N', 2, true, "int2recv", "smallint"),
        (22, "int2vector", 1006, 'b', 'A', -1, false, "int2vectorrecv", "int2vector"),
        (23, "int4", 1007, 'b', 'N', 4, true, "int4recv", "integer"),
        (24, "regproc", 1008, 'b', 'N', 4, true, "regprocrecv", "regproc"),
        (25, "text", 1009, 'b', 'S', -1, false, "textrecv", "text"),
        (26, "oid", 1028, 'b', 'N', 4, true, "oidrecv", "oid"),
        (27, "tid", 1010, 'b', 'U', 6, false, "tidrecv", "tid"),
        (28, "xid", 1011, 'b', 'U', 4, true, "xidrecv", "xid"),
        (29, "cid", 1012, 'b', 'U', 4, true, "cidrecv", "cid"),
        (30, "oidvector", 1013, 'b', 'A', -1, false, "oidvectorrecv", "oidvector"),
        (114, "json", 199, 'b', 'U', -1, false, "json_recv", "json"),
        (142, "xml", 143, 'b', 'U', -1, false, "xml_recv", "xml"),
        (600, "point", 1017, 'b', 'G', 16, false, "point_recv", "point"),
        (601, "lseg", 1018, 'b', 'G', 32, false, "lseg_recv", "lseg"),
        (602, "path", 1019, 'b', 'G', -1, false, "path_recv", "path"),
        (603, "box", 1020, 'b', 'G', 32, false, "box_recv", "box"),
        (604, "polygon", 1027, 'b', 'G', -1, false, "poly_recv", "polygon"),
        (628, "line", 629, 'b', 'G', 24, false, "line_recv", "line"),
        (650, "cidr", 651, 'b', 'I', -1, false, "cidr_recv", "cidr"),
        (700, "float4", 1021, 'b', 'N', 4, true, "float4recv", "real"),
        (701, "float8", 1022, 'b', 'N', 8, true, "float8recv", "double precision"),
        (705, "unknown", 0, 'p', 'X', -2, false, "unknownrecv", "unknown"),
        (718, "circle", 719, 'b', 'G', 24, false, "circle_recv", "circle"),
        (774, "macaddr8", 775, 'b', 'U', 8, false, "macaddr8_recv", "macaddr8"),
        (790, "money", 791, 'b', 'N', 8, true, "cash_recv", "money"),
        (829, "macaddr", 1040, 'b', 'U', 6, false, "macaddr_recv", "macaddr"),
        (869, "inet", 1041, 'b', 'I', -1, false, "inet_recv", "inet"),
        (1042, "bpchar", 1014, 'b', 'S', -1, false, "bpcharrecv", "character"),
        (1043, "varchar", 1015, 'b', 'S', -1, false, "varcharrecv", "character varying"),
        (1082, "date", 1182, 'b', 'D', 4, true, "date_recv", "date"),
        (1083, "time", 1183, 'b', 'D', 8, true, "time_recv", "time without time zone"),
        (1114, "timestamp", 1115, 'b', 'D', 8, true, "timestamp_recv", "timestamp without time zone"),
        (1184, "timestamptz", 1185, 'b', 'D', 8, true, "timestamptz_recv", "timestamp with time zone"),
        (1186, "interval", 1187, 'b', 'T', 16, false, "interval_recv", "interval"),
        (1266, "timetz", 1270, 'b', 'D', 12, false, "timetz_recv", "time with time zone"),
        (1560, "bit", 1561, 'b', 'V', -1, false, "bit_recv", "bit"),
        (1562, "varbit", 1563, 'b', 'V', -1, false, "varbit_recv", "bit varying"),
        (1700, "numeric", 1231, 'b', 'N', -1, false, "numeric_recv", "numeric"),
        (1790, "refcursor", 2201, 'b', 'U', -1, false, "textrecv", "refcursor"),
        (2205, "regclass", 2210, 'b', 'N', 4, true, "regclassrecv", "regclass"),
        (2206, "regtype", 2211, 'b', 'N', 4, true, "regtyperecv", "regtype"),
        (2249, "record", 2287, 'p', 'P', -1, false, "record_recv", "record"),
        (2278, "void", 0, 'p', 'P', 4, true, "void_recv", "void"),
        (2950, "uuid", 2951, 'b', 'U', 16, false, "uuid_recv", "uuid"),
        (3220, "pg_lsn", 3221, 'b', 'U', 8, true, "pg_lsn_recv", "pg_lsn"),
        (3614, "tsvector", 3643, 'b', 'U', -1, false, "tsvectorrecv", "tsvector"),
        (3615, "tsquery", 3645, 'b', 'U', -1, false, "tsqueryrecv", "tsquery"),
        (3734, "regconfig", 3735, 'b', 'N', 4, true, "regconfigrecv", "regconfig"),
        (3802, "jsonb", 3807, 'b', 'U', -1, false, "jsonb_recv", "jsonb"),
        (4072, "jsonpath", 4073, 'b', 'U', -1, false, "jsonpath_recv", "jsonpath"),
        (5069, "xid8", 271, 'b', 'U', 8, true, "xid8recv", "xid8"),
    ];

    /// <summary>Every row: the base and pseudo types first, then their arrays (named _elem, receive array_recv).</summary>
    public static readonly IReadOnlyList<PgTypeRow> All = Build();

    private static readonly Dictionary<int, PgTypeRow> ByOid = Index();

    public static PgTypeRow? Find(int oid) => ByOid.GetValueOrDefault(oid);

    private static List<PgTypeRow> Build()
    {
        var rows = new List<PgTypeRow>();
        foreach (var (oid, name, array, typtype, category, length, byValue, receive, format) in Base)
            rows.Add(new PgTypeRow(oid, name, array, typtype, category, length, byValue, 0, receive, format));
        foreach (var (oid, name, array, _, _, _, _, _, format) in Base)
            if (array != 0) rows.Add(new PgTypeRow(array, "_" + name, 0, 'b', 'A', -1, false, oid, "array_recv", format + "[]"));
        return rows;
    }

    private static Dictionary<int, PgTypeRow> Index()
    {
        var byOid = new Dictionary<int, PgTypeRow>();
        foreach (var row in All) byOid[row.Oid] = row;
        return byOid;
    }
}
