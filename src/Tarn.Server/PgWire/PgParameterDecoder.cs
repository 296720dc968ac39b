using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>
/// Turns a Bind parameter (bytes, format code, the type OID from Parse) into the CLR value Tarn binds to <c>$n</c>.
/// Unknown or unspecified types arrive as text and are passed on as strings for Tarn to coerce.
/// </summary>
internal static class PgParameterDecoder
{
    private static readonly DateTime PgEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateOnly PgEpochDate = new(2000, 1, 1);

    public static object Decode(ReadOnlySpan<byte> bytes, int oid, bool binary)
    {
        if (!binary) return DecodeText(Encoding.UTF8.GetString(bytes), oid);
        try
        {
            return oid switch
            {
                PgTypeOids.Bool => Exact(bytes, 1)[0] != 0,
                PgTypeOids.Int2 => BinaryPrimitives.ReadInt16BigEndian(Exact(bytes, 2)),
                PgTypeOids.Int4 => BinaryPrimitives.ReadInt32BigEndian(Exact(bytes, 4)),
                PgTypeOids.Int8 => BinaryPrimitives.ReadInt64BigEndian(Exact(bytes, 8)),
                PgTypeOids.Float4 => BinaryPrimitives.ReadSingleBigEndian(Exact(bytes, 4)),
                PgTypeOids.Float8 => BinaryPrimitives.ReadDoubleBigEndian(Exact(bytes, 8)),
                PgTypeOids.Numeric => PgNumericBinary.Read(bytes),
                PgTypeOids.Bytea => bytes.ToArray(),
                PgTypeOids.Date => PgEpochDate.AddDays(BinaryPrimitives.ReadInt32BigEndian(Exact(bytes, 4))),
                PgTypeOids.Time => new TimeOnly(BinaryPrimitives.ReadInt64BigEndian(Exact(bytes, 8)) * 10),
                PgTypeOids.Timestamp => new DateTime(PgEpoch.Ticks + BinaryPrimitives.ReadInt64BigEndian(Exact(bytes, 8)) * 10, DateTimeKind.Unspecified),
                PgTypeOids.TimestampTz => new DateTimeOffset(PgEpoch.Ticks + BinaryPrimitives.ReadInt64BigEndian(Exact(bytes, 8)) * 10, TimeSpan.Zero),
                _ => Encoding.UTF8.GetString(bytes),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"binary parameter value out of range for type {oid}");
        }
    }

    /// <summary>A value of the type <paramref name="oid"/> stands for (null when the type is unspecified), for Describe.</summary>
    public static object? Placeholder(int oid) => oid switch
    {
        PgTypeOids.Bool => false,
        PgTypeOids.Int2 => (short)0,
        PgTypeOids.Int4 => 0,
        PgTypeOids.Int8 => 0L,
        PgTypeOids.Float4 => 0f,
        PgTypeOids.Float8 => 0d,
        PgTypeOids.Numeric => 0m,
        PgTypeOids.Text or PgTypeOids.Varchar or PgTypeOids.BpChar => "",
        PgTypeOids.Bytea => Array.Empty<byte>(),
        PgTypeOids.Date => PgEpochDate,
        PgTypeOids.Time => TimeOnly.MinValue,
        PgTypeOids.Timestamp => PgEpoch,
        PgTypeOids.TimestampTz => new DateTimeOffset(PgEpoch.Ticks, TimeSpan.Zero),
        _ => null,
    };

    private static ReadOnlySpan<byte> Exact(ReadOnlySpan<byte> bytes, int size) =>
        bytes.Length == size ? bytes : throw new TarnException(SqlStates.InvalidParameterValue, $"binary parameter has {bytes.Length} bytes, expected {size}");

    private static object DecodeText(string text, int oid)
    {
        var inv = CultureInfo.InvariantCulture;
        var ok = true;
        object? result = oid switch
        {
            PgTypeOids.Bool => text is "t" or "true" or "1" or "on" or "yes" ? true : text is "f" or "false" or "0" or "off" or "no" ? false : null,
            PgTypeOids.Int2 => short.TryParse(text, inv, out var s) ? s : null,
            PgTypeOids.Int4 => int.TryParse(text, inv, out var i) ? i : null,
            PgTypeOids.Int8 => long.TryParse(text, inv, out var l) ? l : null,
            PgTypeOids.Float4 => float.TryParse(text, inv, out var f) ? f : null,
            PgTypeOids.Float8 => double.TryParse(text, inv, out var d) ? d : null,
            PgTypeOids.Numeric => decimal.TryParse(text, NumberStyles.Float, inv, out var m) ? m : null,
            PgTypeOids.Date => DateOnly.TryParse(text, inv, out var date) ? date : null,
            PgTypeOids.Timestamp => DateTime.TryParse(text, inv, DateTimeStyles.None, out var ts) ? ts : null,
            PgTypeOids.Bytea when text.StartsWith("\\x", StringComparison.Ordinal) => TryHex(text[2..]),
            _ => text,
        };
        if (result is null) ok = false;
        return ok ? result! : throw new TarnException(SqlStates.InvalidTextRepresentation, $"invalid input for parameter of type {oid}: \"{text}\"");
    }

    private static byte[]? TryHex(string hex)
    {
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { return null; }
    }
}
