using System.Buffers.Binary;

namespace Tarn.Server.PgWire;

/// <summary>
/// COPY's binary format: the 11-byte signature <c>PGCOPY\n\377\r\n\0</c>, int32 flags, int32 header-extension length
/// and extension; then per tuple an int16 field count and per field an int32 length (-1 = NULL) and the value in its
/// binary send format; an int16 -1 ends the data.
/// </summary>
internal sealed class PgCopyBinaryDecoder(PgCopyTarget target, int maxRowBytes) : PgCopyDecoder(target, maxRowBytes)
{
    public static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]; // PGCOPY\n\377\r\n\0

    private bool _headerRead;

    protected override int DecodeRows(ReadOnlySpan<byte> data, bool final)
    {
        var used = 0;
        if (!_headerRead)
        {
            if (data.Length < 19)
            {
                if (final) throw PgCopyErrors.BadFormat("COPY file signature not recognized");
                return 0;
            }
            if (!data[..11].SequenceEqual(Signature)) throw PgCopyErrors.BadFormat("COPY file signature not recognized");
            var flags = BinaryPrimitives.ReadInt32BigEndian(data[11..]);
            if ((flags & 0x10000) != 0) throw PgCopyErrors.BadFormat("COPY with OIDs is not supported");
            if ((flags & ~0xFFFF & ~0x10000) != 0) throw PgCopyErrors.BadFormat("unrecognized critical flags in COPY file header");
            var extension = BinaryPrimitives.ReadInt32BigEndian(data[15..]);
            if (extension < 0) throw PgCopyErrors.BadFormat("invalid COPY file header (missing length)");
            if (data.Length < 19 + extension)
            {
                if (final) throw PgCopyErrors.BadFormat("invalid COPY file header (wrong length)");
                return 0;
            }
            used = 19 + extension;
            _headerRead = true;
        }
        var columns = Target.Columns;
        while (!Done && data.Length - used >= 2)
        {
            var tuple = data[used..];
            var count = BinaryPrimitives.ReadInt16BigEndian(tuple);
            if (count == -1)
            {
                Done = true;
                return data.Length;
            }
            Line++;
            if (count != columns.Length) throw PgCopyErrors.BadFormat($"row field count is {count}, expected {columns.Length}");
            // First make sure the whole tuple is here, so a tuple is decoded exactly once.
            var end = 2;
            for (var f = 0; f < count; f++)
            {
                if (tuple.Length - end < 4) { Line--; return used; }
                var length = BinaryPrimitives.ReadInt32BigEndian(tuple[end..]);
                end += 4;
                if (length == -1) continue;
                if (length < 0) throw PgCopyErrors.BadFormat("invalid field size");
                if (tuple.Length - end < length) { Line--; return used; }
                end += length;
            }
            var p = 2;
            for (var f = 0; f < count; f++)
            {
                Field = f;
                var length = BinaryPrimitives.ReadInt32BigEndian(tuple[p..]);
                p += 4;
                if (length == -1) { Target.AppendNull(columns[f]); continue; }
                PgCopyBinaryValues.Append(columns[f], tuple.Slice(p, length));
                p += length;
            }
            Field = -1;
            Target.EndRow();
            Rows++;
            used += end;
        }
        return used;
    }
}
