using System.Globalization;

namespace Tarn.Server.PgWire;

/// <summary>
/// PostgreSQL's binary NUMERIC: int16 ndigits, int16 weight (of the first base-10000 digit), int16 sign, int16 dscale,
/// then the base-10000 digits. Converts from and to <see cref="decimal"/>.
/// </summary>
internal static class PgNumericBinary
{
    public static void Write(PgMessageWriter writer, decimal value)
    {
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.');
        var intPart = dot < 0 ? text : text[..dot];
        var fracPart = dot < 0 ? "" : text[(dot + 1)..];
        var scale = (short)fracPart.Length;
        intPart = intPart.TrimStart('0');
        // Pad so both parts split into whole groups of four decimal digits.
        var intPadded = new string('0', (4 - intPart.Length % 4) % 4) + intPart;
        var fracPadded = fracPart + new string('0', (4 - fracPart.Length % 4) % 4);
        var all = intPadded + fracPadded;
        var digits = new short[all.Length / 4];
        for (var i = 0; i < digits.Length; i++) digits[i] = short.Parse(all.AsSpan(i * 4, 4), CultureInfo.InvariantCulture);
        var weight = intPadded.Length / 4 - 1;
        var first = 0;
        var last = digits.Length;
        while (first < last && digits[first] == 0) { first++; weight--; }
        while (last > first && digits[last - 1] == 0) last--;
        if (first == last) weight = 0;
        writer.WriteInt16((short)(last - first));
        writer.WriteInt16((short)weight);
        writer.WriteInt16(value < 0 ? (short)0x4000 : (short)0);
        writer.WriteInt16(scale);
        for (var i = first; i < last; i++) writer.WriteInt16(digits[i]);
    }

    public static decimal Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new PgBodyReader(bytes);
        var count = reader.ReadInt16();
        var weight = reader.ReadInt16();
        var sign = (ushort)reader.ReadInt16();
        var scale = reader.ReadInt16();
        if (sign == 0xC000 || count < 0) throw new TarnException(SqlStates.InvalidParameterValue, "NaN and infinite numerics are not supported");
        decimal result = 0;
        for (var i = 0; i < count; i++)
        {
            var digit = reader.ReadInt16();
            var power = weight - i;
            result += digit * Pow10000(power);
        }
        result = Math.Round(result, Math.Min((int)scale, 28));
        return sign == 0x4000 ? -result : result;
    }

    private static decimal Pow10000(int power)
    {
        decimal r = 1;
        if (power >= 0) for (var i = 0; i < power; i++) r *= 10000m;
        else for (var i = 0; i < -power; i++) r /= 10000m;
        return r;
    }
}
