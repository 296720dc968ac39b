using Tarn.Types;

namespace Tarn.Storage.Format;

/// <summary>Serializes schemas and data types for log records, manifests and the catalog (storage-spec/05-log.md, "Schema").</summary>
public static class SchemaCodec
{
    public const int MaxColumns = 4096;

    public static void WriteType(ByteWriter w, DataType type)
    {
        w.WriteByte((byte)type.Kind);
        w.WriteVarInt(type.Precision);
        w.WriteVarInt(type.Scale);
        w.WriteVarInt(type.Length);
        w.WriteBool(type.Nullable);
        if (type.Kind == TypeKind.Array) WriteType(w, type.Element!); // ARRAY: the element type follows (05-log.md)
        if (type.Kind == TypeKind.Row)
        {
            // ROW: the field count, then each field's name and type (catalog images only; segments never hold rows)
            w.WriteVarUInt((ulong)type.Fields!.Count);
            foreach (var f in type.Fields)
            {
                w.WriteString(f.Name);
                WriteType(w, f.Type);
            }
        }
    }

    public static DataType ReadType(ref ByteReader r) => ReadType(ref r, 0);

    private static DataType ReadType(ref ByteReader r, int depth)
    {
        var kind = (TypeKind)r.ReadByte();
        if (!Enum.IsDefined(kind)) ThrowHelper.Corrupt(r.Source, $"unknown type kind {(int)kind}");
        var precision = (int)r.ReadVarInt();
        var scale = (int)r.ReadVarInt();
        var length = (int)r.ReadVarInt();
        var nullable = r.ReadBool();
        if (kind == TypeKind.Array)
        {
            if (depth >= ArrayValues.MaxDepth) ThrowHelper.Corrupt(r.Source, "array types nested too deeply");
            return DataType.Array(ReadType(ref r, depth + 1)).WithNullable(nullable);
        }
        if (kind == TypeKind.Row)
        {
            if (depth >= ArrayValues.MaxDepth) ThrowHelper.Corrupt(r.Source, "row types nested too deeply");
            var count = (int)r.ReadVarUInt();
            if (count is < 1 or > MaxColumns) ThrowHelper.Corrupt(r.Source, $"row type with {count} fields");
            var fields = new RowField[count];
            for (var i = 0; i < count; i++)
            {
                var name = r.ReadString();
                fields[i] = new RowField(name, ReadType(ref r, depth + 1));
            }
            return DataType.Row(fields).WithNullable(nullable);
        }
        return new DataType(kind, precision, scale, length, nullable);
    }

    public static void WriteSchema(ByteWriter w, Schema schema)
    {
        w.WriteVarUInt((ulong)schema.Count);
        foreach (var c in schema.Columns)
        {
            w.WriteVarInt(c.Id);
            w.WriteString(c.Name);
            WriteType(w, c.Type);
        }
    }

    public static Schema ReadSchema(ref ByteReader r)
    {
        var n = r.ReadCount(MaxColumns);
        var cols = new Column[n];
        for (var i = 0; i < n; i++)
        {
            var id = (int)r.ReadVarInt();
            var name = r.ReadString();
            cols[i] = new Column(id, name, ReadType(ref r));
        }
        try
        {
            return new Schema(cols);
        }
        catch (TarnException)
        {
            return ThrowHelper.Corrupt<Schema>(r.Source, "schema has duplicate column names");
        }
    }

    public static void WriteIntList(ByteWriter w, IReadOnlyList<int> values)
    {
        w.WriteVarUInt((ulong)values.Count);
        foreach (var v in values) w.WriteVarInt(v);
    }

    public static int[] ReadIntList(ref ByteReader r, int max = MaxColumns)
    {
        var n = r.ReadCount(max);
        var result = new int[n];
        for (var i = 0; i < n; i++) result[i] = (int)r.ReadVarInt();
        return result;
    }
}
