using System.Text;
using Tarn.Checksums;
using Tarn.Storage.Encodings;
using Tarn.Types;

namespace Tarn.Storage.Segments;

/// <summary>Writes and parses the footer (storage-spec/03-segment-file.md, "Footer").</summary>
internal static class FooterCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends the footer, its CRC included, to <paramref name="output"/>.</summary>
    public static void Write(EncodeBuffer output, Schema schema, long rowCount, IReadOnlyList<RowGroupInfo> rowGroups, IReadOnlyList<ColumnStats>? segmentStats)
    {
        var start = output.Length;
        output.WriteVarUInt((ulong)schema.Count);
        foreach (var column in schema.Columns)
        {
            output.WriteVarInt(column.Id);
            var name = Encoding.UTF8.GetBytes(column.Name);
            output.WriteVarUInt((ulong)name.Length);
            output.WriteBytes(name);
            var t = column.Type;
            output.WriteByte((byte)t.Kind);
            output.WriteByte((byte)t.Precision);
            output.WriteByte((byte)t.Scale);
            output.WriteVarUInt((ulong)t.Length);
            output.WriteByte(t.Nullable ? SegmentFormat.ColumnFlagNullable : (byte)0);
            for (var e = t.Element; e is not null; e = e.Element) WriteElementType(output, e);
        }
        output.WriteVarUInt((ulong)rowCount);
        output.WriteVarUInt((ulong)rowGroups.Count);
        foreach (var group in rowGroups)
        {
            output.WriteVarUInt((ulong)group.RowCount);
            for (var c = 0; c < schema.Count; c++)
            {
                var chunk = group.Chunks[c];
                output.WriteVarUInt((ulong)chunk.Length);
                output.WriteByte((byte)chunk.Encoding);
                output.WriteByte(chunk.Compressed ? SegmentFormat.ChunkFlagCompressed : (byte)0);
                WriteStats(output, schema[c].Type.Physical, chunk.Stats);
            }
        }
        if (rowGroups.Count > 1)
        {
            for (var c = 0; c < schema.Count; c++) WriteStats(output, schema[c].Type.Physical, segmentStats![c]);
        }
        output.WriteUInt32(Crc32C.Compute(output.WrittenSpan[start..]));
    }

    /// <summary>An ARRAY column's element type (version 2): kind, precision, scale, length; nested arrays repeat it.</summary>
    private static void WriteElementType(EncodeBuffer output, DataType e)
    {
        output.WriteByte((byte)e.Kind);
        output.WriteByte((byte)e.Precision);
        output.WriteByte((byte)e.Scale);
        output.WriteVarUInt((ulong)e.Length);
    }

    private static void WriteStats(EncodeBuffer output, PhysicalType physical, ColumnStats stats)
    {
        var hasMin = physical == PhysicalType.Binary ? stats.MinBytes is not null : stats.HasMinMax;
        var hasMax = physical == PhysicalType.Binary ? stats.MaxBytes is not null : stats.HasMinMax;
        // One-value chunks (small log batches, constant columns) store the bound once.
        var same = hasMin && hasMax && SameBounds(physical, stats);
        var flags = (byte)((hasMin ? SegmentFormat.StatsHasMin : 0) | (hasMax ? SegmentFormat.StatsHasMax : 0)
            | (same ? SegmentFormat.StatsMaxEqualsMin : 0)
            | (stats.HasNaN ? SegmentFormat.StatsHasNaN : 0) | (stats.MinBytesTruncated ? SegmentFormat.StatsMinTruncated : 0)
            | (stats.DistinctIsExact ? SegmentFormat.StatsDistinctExact : 0));
        output.WriteByte(flags);
        output.WriteVarUInt((ulong)stats.NullCount);
        output.WriteVarUInt((ulong)stats.DistinctEstimate);
        if (hasMin) WriteBound(output, physical, stats.MinInt, stats.MinFloat, stats.MinBytes);
        if (hasMax && !same) WriteBound(output, physical, stats.MaxInt, stats.MaxFloat, stats.MaxBytes);
    }

    private static bool SameBounds(PhysicalType physical, ColumnStats stats) => physical switch
    {
        PhysicalType.Float32 or PhysicalType.Float64 => TotalOrder.Compare(stats.MinFloat, stats.MaxFloat) == 0,
        PhysicalType.Binary => !stats.MinBytesTruncated && stats.MinBytes.AsSpan().SequenceEqual(stats.MaxBytes),
        _ => stats.MinInt == stats.MaxInt,
    };

    private static void WriteBound(EncodeBuffer output, PhysicalType physical, Int128 i, double f, byte[]? b)
    {
        switch (physical)
        {
            case PhysicalType.Float32:
            case PhysicalType.Float64:
                output.WriteDouble(f);
                break;
            case PhysicalType.Binary:
                output.WriteVarUInt((ulong)b!.Length);
                output.WriteBytes(b);
                break;
            default:
                output.WriteVarInt(i);
                break;
        }
    }

    /// <summary>
    /// Parses a footer whose CRC has been verified (<paramref name="body"/> excludes the CRC). Checks every count
    /// against the bytes present before allocating, and that the chunks tile [header end, footer start) exactly.
    /// </summary>
    public static SegmentFooter Read(ReadOnlySpan<byte> body, string name, long footerOffset, ushort majorVersion, ushort minorVersion)
    {
        var r = new PayloadReader(body, new DecodeSite(name, "footer"));
        var schema = ReadSchema(ref r, majorVersion);
        var rowCount = r.ReadVarLong("row count", 0, long.MaxValue);
        var groupCount = (int)r.ReadVarLong("row group count", 0, body.Length);
        // Each row group takes at least one byte plus four per chunk (length, encoding, flags, stats flags).
        if ((long)groupCount * (1 + 4L * schema.Count) > r.Remaining) r.Fail($"{groupCount} row groups cannot fit in the footer");
        var groups = new RowGroupInfo[groupCount];
        long offset = SegmentFormat.HeaderSize, firstRow = 0;
        for (var g = 0; g < groupCount; g++)
        {
            var rows = (int)r.ReadVarLong("row group size", 1, SegmentFormat.MaxRowGroupRows);
            var chunks = new ChunkInfo[schema.Count];
            for (var c = 0; c < schema.Count; c++)
            {
                var length = (int)r.ReadVarLong("chunk length", SegmentFormat.ChunkHeaderSize + 1, int.MaxValue);
                var encoding = (ChunkEncoding)r.ReadByte();
                var physical = schema[c].Type.Physical;
                if (!AllowedEncodings.For(physical).Has(encoding)) r.Fail($"encoding {(int)encoding} is not valid for column {c} ({physical})");
                var flags = r.ReadByte();
                if (flags > SegmentFormat.ChunkFlagCompressed) r.Fail($"unknown chunk flags {flags}");
                var stats = ReadStats(ref r, physical, rows, $"row group {g}, column {c}");
                chunks[c] = new ChunkInfo(offset, length, encoding, flags != 0, stats);
                offset += length;
                if (offset > footerOffset) r.Fail($"chunks extend past the footer at {footerOffset}");
            }
            groups[g] = new RowGroupInfo(rows, firstRow, chunks);
            firstRow += rows;
        }
        if (firstRow != rowCount) r.Fail($"row groups hold {firstRow} rows but the footer says {rowCount}");
        if (offset != footerOffset) r.Fail($"chunks end at {offset} but the footer starts at {footerOffset}");
        ColumnStats[]? segmentStats = null;
        if (groupCount > 1)
        {
            segmentStats = new ColumnStats[schema.Count];
            for (var c = 0; c < schema.Count; c++)
                segmentStats[c] = ReadStats(ref r, schema[c].Type.Physical, rowCount, $"segment statistics of column {c}");
        }
        // Newer minor versions may append fields this reader does not know; older or equal ones may not.
        if (r.Remaining > 0 && minorVersion <= SegmentFormat.MinorVersion) r.Fail($"{r.Remaining} unexpected bytes at the end of the footer");
        return new SegmentFooter(schema, rowCount, groups, segmentStats);
    }

    private static Schema ReadSchema(ref PayloadReader r, ushort majorVersion)
    {
        var count = (int)r.ReadVarLong("column count", 0, r.Remaining);
        var columns = new Column[count];
        var ids = new HashSet<int>();
        for (var c = 0; c < count; c++)
        {
            var id = r.ReadVarInt128();
            if (id < int.MinValue || id > int.MaxValue) r.Fail($"column id {id} out of range");
            if (!ids.Add((int)id)) r.Fail($"duplicate column id {id}");
            var nameLength = r.ReadVarLong("column name length", 0, r.Remaining);
            string name;
            try
            {
                name = StrictUtf8.GetString(r.ReadBytes(nameLength));
            }
            catch (DecoderFallbackException)
            {
                r.Fail($"column {c} name is not valid UTF-8");
                throw;
            }
            var type = ReadTypeFields(ref r, c, majorVersion);
            var flags = r.ReadByte();
            if (flags > SegmentFormat.ColumnFlagNullable) r.Fail($"unknown column flags {flags}");
            columns[c] = new Column((int)id, name, WithElements(ref r, c, majorVersion, type).WithNullable(flags != 0));
        }
        try
        {
            return new Schema(columns);
        }
        catch (TarnException e) when (e.SqlState == SqlStates.DuplicateColumn)
        {
            r.Fail(e.Message);
            throw;
        }
    }

    /// <summary>kind, precision, scale and length of a column or element type [SEG-012]; ARRAY only from version 2 on [SEG-021].</summary>
    private static DataType ReadTypeFields(ref PayloadReader r, int c, ushort majorVersion)
    {
        var kind = r.ReadByte();
        var last = majorVersion >= SegmentFormat.ArrayMajorVersion ? TypeKind.Array : TypeKind.IntervalYearMonth;
        if (kind < (byte)TypeKind.Boolean || kind > (byte)last) r.Fail($"unknown type kind {kind} of column {c}");
        var precision = r.ReadByte();
        var scale = r.ReadByte();
        if (precision > DataType.MaxDecimalPrecision || scale > DataType.MaxDecimalPrecision
            || ((TypeKind)kind == TypeKind.Decimal && (precision == 0 || scale > precision)))
            r.Fail($"precision {precision} / scale {scale} of column {c} are out of range");
        var length = (int)r.ReadVarLong("type length", 0, int.MaxValue);
        if ((TypeKind)kind == TypeKind.Array && (precision | scale | length) != 0) r.Fail($"ARRAY column {c} has type parameters");
        return new DataType((TypeKind)kind, precision, scale, length);
    }

    /// <summary>For an ARRAY, reads the element type descriptors that follow the column flags (nested arrays repeat them).</summary>
    private static DataType WithElements(ref PayloadReader r, int c, ushort majorVersion, DataType type)
    {
        if (type.Kind != TypeKind.Array) return type;
        var chain = new List<DataType>();
        DataType element;
        do
        {
            if (chain.Count >= ArrayValues.MaxDepth) r.Fail($"ARRAY column {c} is nested too deeply");
            element = ReadTypeFields(ref r, c, majorVersion);
            chain.Add(element);
        }
        while (element.Kind == TypeKind.Array);
        var result = chain[^1];
        for (var i = chain.Count - 2; i >= 0; i--) result = DataType.Array(result);
        return DataType.Array(result);
    }

    private static ColumnStats ReadStats(ref PayloadReader r, PhysicalType physical, long rows, string what)
    {
        var flags = r.ReadByte();
        if ((flags & ~SegmentFormat.StatsKnownFlags) != 0) r.Fail($"{what}: unknown statistics flags {flags}");
        var hasMin = (flags & SegmentFormat.StatsHasMin) != 0;
        var hasMax = (flags & SegmentFormat.StatsHasMax) != 0;
        var hasNaN = (flags & SegmentFormat.StatsHasNaN) != 0;
        var truncated = (flags & SegmentFormat.StatsMinTruncated) != 0;
        var same = (flags & SegmentFormat.StatsMaxEqualsMin) != 0;
        if (same && !(hasMin && hasMax && !truncated)) r.Fail($"{what}: max-equals-min flag without both exact bounds");
        var isFloat = physical is PhysicalType.Float32 or PhysicalType.Float64;
        var isBinary = physical == PhysicalType.Binary;
        if (hasNaN && (!isFloat || hasMin)) r.Fail($"{what}: NaN flag with bounds or on a non-float column");
        if (truncated && (!isBinary || !hasMin)) r.Fail($"{what}: truncated-minimum flag without a string minimum");
        if (!isBinary && hasMin != hasMax) r.Fail($"{what}: only one bound");
        var nulls = r.ReadVarLong("null count", 0, rows);
        var distinct = r.ReadVarLong("distinct count", 0, rows - nulls);
        if (nulls == rows && (hasMin || hasMax)) r.Fail($"{what}: bounds on a column with no values");
        Int128 minInt = 0, maxInt = 0;
        double minFloat = 0, maxFloat = 0;
        byte[]? minBytes = null, maxBytes = null;
        if (hasMin) ReadBound(ref r, physical, out minInt, out minFloat, out minBytes);
        if (same)
        {
            maxInt = minInt;
            maxFloat = minFloat;
            maxBytes = minBytes;
        }
        else if (hasMax)
        {
            ReadBound(ref r, physical, out maxInt, out maxFloat, out maxBytes);
        }
        if (hasMin && hasMax)
        {
            var ordered = physical switch
            {
                PhysicalType.Float32 or PhysicalType.Float64 => TotalOrder.Compare(minFloat, maxFloat) <= 0,
                PhysicalType.Binary => minBytes.AsSpan().SequenceCompareTo(maxBytes) <= 0,
                _ => minInt <= maxInt,
            };
            if (!ordered) r.Fail($"{what}: minimum is above maximum");
        }
        return new ColumnStats
        {
            NullCount = nulls,
            DistinctEstimate = distinct,
            DistinctIsExact = (flags & SegmentFormat.StatsDistinctExact) != 0,
            HasMinMax = hasMin && hasMax,
            MinInt = minInt,
            MaxInt = maxInt,
            MinFloat = minFloat,
            MaxFloat = maxFloat,
            MinBytes = minBytes,
            MaxBytes = maxBytes,
            MinBytesTruncated = truncated,
            HasNaN = hasNaN,
        };
    }

    private static void ReadBound(ref PayloadReader r, PhysicalType physical, out Int128 i, out double f, out byte[]? b)
    {
        i = 0;
        f = 0;
        b = null;
        switch (physical)
        {
            case PhysicalType.Float32:
            case PhysicalType.Float64:
                f = r.ReadDouble();
                if (double.IsNaN(f)) r.Fail("NaN statistics bound");
                break;
            case PhysicalType.Binary:
                b = r.ReadBytes(r.ReadVarLong("statistics bound length", 0, BinaryValuesEncoder.MaxStatBytes)).ToArray();
                break;
            default:
                i = r.ReadVarInt128();
                break;
        }
    }
}
