using Tarn.Storage.Format;

namespace Tarn.Catalog.Model;

/// <summary>Versions 3 and 4 of the catalog image: column collations, macros and sequences; ARRAY column types (storage-spec/09-catalog.md).</summary>
public static partial class CatalogCodec
{
    private static byte VersionNeeded(CatalogImage image)
    {
        if (image.Subscriptions.Count > 0) return SubscriptionVersion;
        if (!image.Security.IsEmpty) return SecurityVersion;
        byte version = 1;
        foreach (var c in image.Catalogs)
            foreach (var d in c.Databases)
                foreach (var t in d.Tables)
                    foreach (var col in t.Columns)
                        if (col.Type.IsRow) return RowVersion;
        foreach (var c in image.Catalogs)
            foreach (var d in c.Databases)
                foreach (var t in d.Tables)
                    foreach (var col in t.Columns)
                        if (col.Type.IsArray) return ArrayVersion;
        foreach (var c in image.Catalogs)
            foreach (var d in c.Databases)
            {
                if (d.Macros.Count > 0 || d.Sequences.Count > 0) return 3;
                foreach (var t in d.Tables)
                    foreach (var col in t.Columns)
                    {
                        if (col.Type.Collation is not null) return 3;
                        if (col.DefaultExpression is not null) version = 2;
                    }
            }
        return version;
    }

    private static void WriteMacrosAndSequences(ByteWriter w, DatabaseDef d)
    {
        w.WriteVarUInt((ulong)d.Macros.Count);
        foreach (var m in d.Macros)
        {
            w.WriteString(m.Name);
            WriteStrings(w, m.Parameters);
            w.WriteString(m.Body);
        }
        w.WriteVarUInt((ulong)d.Sequences.Count);
        foreach (var s in d.Sequences)
        {
            w.WriteString(s.Name);
            w.WriteVarInt(s.Start);
            w.WriteVarInt(s.Increment);
            w.WriteVarInt(s.MinValue);
            w.WriteVarInt(s.MaxValue);
            w.WriteBool(s.Cycle);
            w.WriteVarInt(s.Next);
            w.WriteBool(s.Exhausted);
        }
    }

    private static DatabaseDef ReadMacrosAndSequences(ref ByteReader r, DatabaseDef d)
    {
        var macros = new List<MacroDef>();
        var nm = r.ReadCount(MaxItems);
        for (var i = 0; i < nm; i++) macros.Add(new MacroDef(r.ReadString(), ReadStrings(ref r), r.ReadString()));
        var sequences = new List<SequenceDef>();
        var ns = r.ReadCount(MaxItems);
        for (var i = 0; i < ns; i++)
            sequences.Add(new SequenceDef(r.ReadString(), r.ReadVarInt(), r.ReadVarInt(), r.ReadVarInt(), r.ReadVarInt(), r.ReadBool(), r.ReadVarInt(), r.ReadBool()));
        return d with { Macros = macros, Sequences = sequences };
    }
}
