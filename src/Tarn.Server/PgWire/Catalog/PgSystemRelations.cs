using Tarn.Types;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>A column of a system relation: its name and the Tarn type the rows carry.</summary>
internal readonly record struct PgSystemColumn(string Name, DataType Type);

/// <summary>
/// A pg_catalog or information_schema relation the endpoint serves: its columns (a useful subset of PostgreSQL's, same
/// names and meaning) and its rows, computed from a <see cref="PgCatalogSnapshot"/> of the live catalog.
/// </summary>
internal sealed record PgSystemRelation(string Schema, string Name, char Kind, IReadOnlyList<PgSystemColumn> Columns, Func<PgCatalogSnapshot, IEnumerable<object?[]>> Rows);

/// <summary>The system relations; rows are in <see cref="PgSystemRows"/>.</summary>
internal static class PgSystemRelations
{
    private static readonly DataType Oid = DataType.Int;
    private static readonly DataType Name = DataType.String;
    private static readonly DataType Bool = DataType.Boolean;
    private static readonly DataType Int2 = DataType.SmallInt;
    private static readonly DataType Int4 = DataType.Int;

    public static readonly IReadOnlyList<PgSystemRelation> All =
    [
        Rel("pg_catalog", "pg_namespace", 'r', PgSystemRows.Namespaces, ("oid", Oid), ("nspname", Name), ("nspowner", Oid), ("nspacl", Name)),
        Rel("pg_catalog", "pg_class", 'r', PgSystemRows.Classes, ("oid", Oid), ("relname", Name), ("relnamespace", Oid), ("reltype", Oid), ("reloftype", Oid),
            ("relowner", Oid), ("relam", Oid), ("relfilenode", Oid), ("reltablespace", Oid), ("relpages", Int4), ("reltuples", DataType.Float),
            ("relallvisible", Int4), ("reltoastrelid", Oid), ("relhasindex", Bool), ("relisshared", Bool), ("relpersistence", Name), ("relkind", Name),
            ("relnatts", Int2), ("relchecks", Int2), ("relhasrules", Bool), ("relhastriggers", Bool), ("relhassubclass", Bool), ("relrowsecurity", Bool),
            ("relforcerowsecurity", Bool), ("relispopulated", Bool), ("relreplident", Name), ("relispartition", Bool), ("relacl", Name), ("reloptions", Name)),
        Rel("pg_catalog", "pg_attribute", 'r', PgSystemRows.Attributes, ("attrelid", Oid), ("attname", Name), ("atttypid", Oid), ("attstattarget", Int4),
            ("attlen", Int2), ("attnum", Int2), ("attndims", Int4), ("attcacheoff", Int4), ("atttypmod", Int4), ("attbyval", Bool), ("attalign", Name),
            ("attstorage", Name), ("attcompression", Name), ("attnotnull", Bool), ("atthasdef", Bool), ("atthasmissing", Bool), ("attidentity", Name),
            ("attgenerated", Name), ("attisdropped", Bool), ("attislocal", Bool), ("attinhcount", Int4), ("attcollation", Oid)),
        Rel("pg_catalog", "pg_type", 'r', PgSystemRows.Types, ("oid", Oid), ("typname", Name), ("typnamespace", Oid), ("typowner", Oid), ("typlen", Int2),
            ("typbyval", Bool), ("typtype", Name), ("typcategory", Name), ("typispreferred", Bool), ("typisdefined", Bool), ("typdelim", Name),
            ("typrelid", Oid), ("typelem", Oid), ("typarray", Oid), ("typinput", Name), ("typoutput", Name), ("typreceive", Name), ("typsend", Name),
            ("typalign", Name), ("typstorage", Name), ("typnotnull", Bool), ("typbasetype", Oid), ("typtypmod", Int4), ("typndims", Int4), ("typcollation", Oid)),
        Rel("pg_catalog", "pg_database", 'r', PgSystemRows.Databases, ("oid", Oid), ("datname", Name), ("datdba", Oid), ("encoding", Int4),
            ("datlocprovider", Name), ("datistemplate", Bool), ("datallowconn", Bool), ("datconnlimit", Int4), ("datcollate", Name), ("datctype", Name),
            ("daticulocale", Name), ("datacl", Name)),
        Rel("pg_catalog", "pg_index", 'r', PgSystemRows.Indexes, ("indexrelid", Oid), ("indrelid", Oid), ("indnatts", Int2), ("indnkeyatts", Int2),
            ("indisunique", Bool), ("indisprimary", Bool), ("indisexclusion", Bool), ("indimmediate", Bool), ("indisclustered", Bool), ("indisvalid", Bool),
            ("indisready", Bool), ("indislive", Bool), ("indisreplident", Bool), ("indkey", Name)),
        Rel("pg_catalog", "pg_constraint", 'r', PgSystemRows.Constraints, ("oid", Oid), ("conname", Name), ("connamespace", Oid), ("contype", Name),
            ("condeferrable", Bool), ("condeferred", Bool), ("convalidated", Bool), ("conrelid", Oid), ("contypid", Oid), ("conindid", Oid),
            ("confrelid", Oid), ("conkey", Name)),
        Rel("pg_catalog", "pg_tables", 'v', PgSystemRows.Tables, ("schemaname", Name), ("tablename", Name), ("tableowner", Name), ("tablespace", Name),
            ("hasindexes", Bool), ("hasrules", Bool), ("hastriggers", Bool), ("rowsecurity", Bool)),
        Rel("pg_catalog", "pg_views", 'v', PgSystemRows.Views, ("schemaname", Name), ("viewname", Name), ("viewowner", Name), ("definition", Name)),
        Rel("pg_catalog", "pg_settings", 'v', PgSystemRows.Settings, ("name", Name), ("setting", Name), ("unit", Name), ("category", Name),
            ("short_desc", Name), ("context", Name), ("vartype", Name), ("source", Name), ("boot_val", Name), ("reset_val", Name)),
        Rel("pg_catalog", "pg_roles", 'v', PgSystemRows.Roles, ("oid", Oid), ("rolname", Name), ("rolsuper", Bool), ("rolinherit", Bool),
            ("rolcreaterole", Bool), ("rolcreatedb", Bool), ("rolcanlogin", Bool), ("rolconnlimit", Int4), ("rolreplication", Bool), ("rolbypassrls", Bool),
            ("rolvaliduntil", Name), ("rolpassword", Name)),
        Rel("pg_catalog", "pg_user", 'v', PgSystemRows.Users, ("usename", Name), ("usesysid", Oid), ("usecreatedb", Bool), ("usesuper", Bool),
            ("userepl", Bool), ("usebypassrls", Bool), ("passwd", Name), ("valuntil", Name)),
        Rel("pg_catalog", "pg_auth_members", 'r', PgSystemRows.None, ("roleid", Oid), ("member", Oid), ("grantor", Oid), ("admin_option", Bool)),
        Rel("pg_catalog", "pg_am", 'r', PgSystemRows.AccessMethods, ("oid", Oid), ("amname", Name), ("amtype", Name)),
        Rel("pg_catalog", "pg_description", 'r', PgSystemRows.Descriptions, ("objoid", Oid), ("classoid", Oid), ("objsubid", Int4), ("description", Name)),
        Rel("pg_catalog", "pg_proc", 'r', PgSystemRows.None, ("oid", Oid), ("proname", Name), ("pronamespace", Oid), ("prorettype", Oid)),
        Rel("pg_catalog", "pg_range", 'r', PgSystemRows.None, ("rngtypid", Oid), ("rngsubtype", Oid), ("rngmultitypid", Oid)),
        Rel("pg_catalog", "pg_enum", 'r', PgSystemRows.None, ("oid", Oid), ("enumtypid", Oid), ("enumsortorder", DataType.Float), ("enumlabel", Name)),
        Rel("pg_catalog", "pg_attrdef", 'r', PgSystemRows.None, ("oid", Oid), ("adrelid", Oid), ("adnum", Int2), ("adbin", Name)),
        Rel("pg_catalog", "pg_inherits", 'r', PgSystemRows.None, ("inhrelid", Oid), ("inhparent", Oid), ("inhseqno", Int4)),
        Rel("information_schema", "schemata", 'v', PgSystemRows.Schemata, ("catalog_name", Name), ("schema_name", Name), ("schema_owner", Name),
            ("default_character_set_catalog", Name), ("default_character_set_schema", Name), ("default_character_set_name", Name), ("sql_path", Name)),
        Rel("information_schema", "tables", 'v', PgSystemRows.InformationTables, ("table_catalog", Name), ("table_schema", Name), ("table_name", Name),
            ("table_type", Name), ("self_referencing_column_name", Name), ("reference_generation", Name), ("user_defined_type_catalog", Name),
            ("user_defined_type_schema", Name), ("user_defined_type_name", Name), ("is_insertable_into", Name), ("is_typed", Name), ("commit_action", Name)),
        Rel("information_schema", "columns", 'v', PgSystemRows.InformationColumns, ("table_catalog", Name), ("table_schema", Name), ("table_name", Name),
            ("column_name", Name), ("ordinal_position", Int4), ("column_default", Name), ("is_nullable", Name), ("data_type", Name),
            ("character_maximum_length", Int4), ("character_octet_length", Int4), ("numeric_precision", Int4), ("numeric_precision_radix", Int4),
            ("numeric_scale", Int4), ("datetime_precision", Int4), ("udt_catalog", Name), ("udt_schema", Name), ("udt_name", Name),
            ("is_identity", Name), ("is_generated", Name), ("is_updatable", Name)),
        Rel("information_schema", "views", 'v', PgSystemRows.InformationViews, ("table_catalog", Name), ("table_schema", Name), ("table_name", Name),
            ("view_definition", Name), ("check_option", Name), ("is_updatable", Name), ("is_insertable_into", Name)),
        Rel("information_schema", "table_constraints", 'v', PgSystemRows.TableConstraints, ("constraint_catalog", Name), ("constraint_schema", Name),
            ("constraint_name", Name), ("table_catalog", Name), ("table_schema", Name), ("table_name", Name), ("constraint_type", Name),
            ("is_deferrable", Name), ("initially_deferred", Name), ("enforced", Name)),
        Rel("information_schema", "key_column_usage", 'v', PgSystemRows.KeyColumnUsage, ("constraint_catalog", Name), ("constraint_schema", Name),
            ("constraint_name", Name), ("table_catalog", Name), ("table_schema", Name), ("table_name", Name), ("column_name", Name),
            ("ordinal_position", Int4), ("position_in_unique_constraint", Int4)),
    ];

    public static PgSystemRelation? Find(string schema, string name)
    {
        foreach (var r in All)
            if (string.Equals(r.Schema, schema, StringComparison.OrdinalIgnoreCase) && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) return r;
        return null;
    }

    private static PgSystemRelation Rel(string schema, string name, char kind, Func<PgCatalogSnapshot, IEnumerable<object?[]>> rows, params (string Name, DataType Type)[] columns)
    {
        var list = new PgSystemColumn[columns.Length];
        for (var i = 0; i < columns.Length; i++) list[i] = new PgSystemColumn(columns[i].Name, columns[i].Type);
        return new PgSystemRelation(schema, name, kind, list, rows);
    }
}
