using Tarn.Storage.Format;

namespace Tarn.Catalog.Model;

/// <summary>Binary form of <see cref="CatalogImage"/> carried by catalog log records and manifests (storage-spec/07-catalog.md).</summary>
public static partial class CatalogCodec
{
    public const byte Version = 7; // 2: column DEFAULT expressions; 3: column collations, macros, sequences; 4: ARRAY column types; 5: ROW column types; 6: users and grants; 7: subscriptions

    /// <summary>The first version whose column types may be ROW (kind 21 followed by its fields), connector tables only [CAT-006].</summary>
    public const byte RowVersion = 5;

    /// <summary>The first version whose column types may be ARRAY (kind 20 followed by the element type) [CAT-005].</summary>
    public const byte ArrayVersion = 4;
    private const int MaxItems = 1 << 20;

    public static byte[] Encode(CatalogImage image)
    {
        var w = new ByteWriter(1024);
        // The lowest version that can hold the image, so databases that use no newer feature stay readable by older engines.
        var version = VersionNeeded(image);
        w.WriteByte(version);
        w.WriteVarUInt((ulong)image.Catalogs.Count);
        foreach (var c in image.Catalogs)
        {
            w.WriteString(c.Name);
            WriteOptions(w, c.Options);
            w.WriteVarUInt((ulong)c.Databases.Count);
            foreach (var d in c.Databases)
            {
                w.WriteString(d.Name);
                w.WriteNullableString(d.Comment);
                WriteOptions(w, d.Options);
                w.WriteVarUInt((ulong)d.Tables.Count);
                foreach (var t in d.Tables) WriteTable(w, t, version);
                w.WriteVarUInt((ulong)d.Views.Count);
                foreach (var v in d.Views)
                {
                    w.WriteString(v.Name);
                    w.WriteString(v.Query);
                    w.WriteBool(v.ColumnNames is not null);
                    if (v.ColumnNames is not null) WriteStrings(w, v.ColumnNames);
                    w.WriteNullableString(v.Comment);
                }
                if (version >= 3) WriteMacrosAndSequences(w, d);
            }
        }
        if (version >= SecurityVersion) WriteSecurity(w, image.Security);
        if (version >= SubscriptionVersion) WriteSubscriptions(w, image.Subscriptions);
        return w.ToArray();
    }

    private static void WriteTable(ByteWriter w, TableDef t, byte version)
    {
        w.WriteString(t.Name);
        w.WriteVarUInt((ulong)t.TableId);
        w.WriteVarUInt((ulong)t.Columns.Count);
        foreach (var c in t.Columns)
        {
            w.WriteVarInt(c.Id);
            w.WriteString(c.Name);
            SchemaCodec.WriteType(w, c.Type);
            w.WriteNullableString(c.Comment);
            w.WriteNullableString(c.ComputedExpression);
            w.WriteNullableString(c.MetadataKey);
            w.WriteBool(c.IsMetadata);
            w.WriteBool(c.IsVirtual);
            if (version >= 2) w.WriteNullableString(c.DefaultExpression);
            if (version >= 3) w.WriteNullableString(c.Type.Collation); // the storage type codec does not record collations
        }
        WriteStrings(w, t.PrimaryKey);
        WriteStrings(w, t.PartitionKeys);
        w.WriteBool(t.Watermark is not null);
        if (t.Watermark is not null)
        {
            w.WriteString(t.Watermark.Column);
            w.WriteString(t.Watermark.Expression);
        }
        WriteOptions(w, t.Options);
        w.WriteNullableString(t.Comment);
    }

    private static void WriteStrings(ByteWriter w, IReadOnlyList<string> values)
    {
        w.WriteVarUInt((ulong)values.Count);
        foreach (var v in values) w.WriteString(v);
    }

    private static void WriteOptions(ByteWriter w, IReadOnlyDictionary<string, string> options)
    {
        w.WriteVarUInt((ulong)options.Count);
        foreach (var (k, v) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            w.WriteString(k);
            w.WriteString(v);
        }
    }

    public static CatalogImage Decode(ReadOnlySpan<byte> data, string source)
    {
        if (data.IsEmpty) return CatalogImage.Initial;
        var r = new ByteReader(data, source);
        var version = r.ReadByte();
        if (version > Version)
            throw new Tarn.TarnException(Tarn.SqlStates.FeatureNotSupported, $"the catalog in '{source}' has version {version}; this Tarn reads up to {Version}");
        var catalogs = new List<CatalogDef>();
        var nc = r.ReadCount(MaxItems);
        for (var i = 0; i < nc; i++)
        {
            var name = r.ReadString();
            var options = ReadOptions(ref r);
            var databases = new List<DatabaseDef>();
            var nd = r.ReadCount(MaxItems);
            for (var j = 0; j < nd; j++)
            {
                var dname = r.ReadString();
                var comment = r.ReadNullableString();
                var doptions = ReadOptions(ref r);
                var tables = new List<TableDef>();
                var nt = r.ReadCount(MaxItems);
                for (var k = 0; k < nt; k++) tables.Add(ReadTable(ref r, version));
                var views = new List<ViewDef>();
                var nv = r.ReadCount(MaxItems);
                for (var k = 0; k < nv; k++)
                {
                    var vname = r.ReadString();
                    var query = r.ReadString();
                    var cols = r.ReadBool() ? ReadStrings(ref r) : null;
                    views.Add(new ViewDef(vname, query, cols, r.ReadNullableString()));
                }
                var database = new DatabaseDef(dname, comment, doptions, tables, views);
                databases.Add(version >= 3 ? ReadMacrosAndSequences(ref r, database) : database);
            }
            catalogs.Add(new CatalogDef(name, options, databases));
        }
        var security = version >= SecurityVersion ? ReadSecurity(ref r) : SecurityDef.Empty;
        var subscriptions = version >= SubscriptionVersion ? ReadSubscriptions(ref r) : [];
        r.ExpectEnd();
        return new CatalogImage(catalogs) { Security = security, Subscriptions = subscriptions };
    }

    private static TableDef ReadTable(ref ByteReader r, byte version)
    {
        var name = r.ReadString();
        var id = (long)r.ReadVarUInt();
        var cols = new List<ColumnDef>();
        var n = r.ReadCount(SchemaCodec.MaxColumns);
        for (var i = 0; i < n; i++)
        {
            var cid = (int)r.ReadVarInt();
            var cname = r.ReadString();
            var type = SchemaCodec.ReadType(ref r);
            if (type.IsArray && version < ArrayVersion) Tarn.ThrowHelper.Corrupt(r.Source, $"column '{cname}' is an ARRAY in a version-{version} catalog image");
            if (type.IsRow && version < RowVersion) Tarn.ThrowHelper.Corrupt(r.Source, $"column '{cname}' is a ROW in a version-{version} catalog image");
            var col = new ColumnDef(cid, cname, type, r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadBool(), r.ReadBool(),
                version >= 2 ? r.ReadNullableString() : null);
            cols.Add(version >= 3 ? col with { Type = type.WithCollation(r.ReadNullableString()) } : col);
        }
        var pk = ReadStrings(ref r);
        var parts = ReadStrings(ref r);
        WatermarkDef? wm = r.ReadBool() ? new WatermarkDef(r.ReadString(), r.ReadString()) : null;
        var options = ReadOptions(ref r);
        return new TableDef(name, id, cols, pk, parts, wm, options, r.ReadNullableString());
    }

    private static List<string> ReadStrings(ref ByteReader r)
    {
        var n = r.ReadCount(MaxItems);
        var list = new List<string>(n);
        for (var i = 0; i < n; i++) list.Add(r.ReadString());
        return list;
    }

    private static Dictionary<string, string> ReadOptions(ref ByteReader r)
    {
        var n = r.ReadCount(MaxItems);
        var d = new Dictionary<string, string>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++) d[r.ReadString()] = r.ReadString();
        return d;
    }
}
