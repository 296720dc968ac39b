using System.Globalization;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tables;

/// <summary>
/// The canonical text of a stored value, used for partition keys (storage-spec/06-manifest.md, "Partition values")
/// and bucket hashing. It must never change for an existing type: files are found by it.
/// </summary>
public static class CanonicalText
{
    public static string? Format(ColumnVector vector, int row)
    {
        if (vector.IsNull(row)) return null;
        var type = vector.Type;
        switch (vector)
        {
            case DictionaryVector d: return Format(d.Dictionary, d.Codes[row]);
            case BinaryVector b: return type.IsString ? b.GetString(row) : Convert.ToHexString(b.GetBytes(row));
            case PrimitiveVector<bool> v: return v.Values[row] ? "true" : "false";
            case PrimitiveVector<sbyte> v: return v.Values[row].ToString(CultureInfo.InvariantCulture);
            case PrimitiveVector<short> v: return v.Values[row].ToString(CultureInfo.InvariantCulture);
            case PrimitiveVector<int> v:
                return type.Kind == TypeKind.Date
                    ? ValueConverter.EpochDate.AddDays(v.Values[row]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : v.Values[row].ToString(CultureInfo.InvariantCulture);
            case PrimitiveVector<long> v:
                return type.Kind switch
                {
                    TypeKind.Timestamp or TypeKind.TimestampLtz => FormatTimestamp(v.Values[row], type),
                    TypeKind.Time => FormatTime(v.Values[row], type),
                    TypeKind.Decimal => ValueConverter.DecimalToString(v.Values[row], type.Scale),
                    _ => v.Values[row].ToString(CultureInfo.InvariantCulture),
                };
            case PrimitiveVector<Int128> v: return ValueConverter.DecimalToString(v.Values[row], type.Scale);
            case PrimitiveVector<float> v: return v.Values[row].ToString("R", CultureInfo.InvariantCulture);
            case PrimitiveVector<double> v: return v.Values[row].ToString("R", CultureInfo.InvariantCulture);
            default: throw new InvalidOperationException($"no canonical text for {vector.GetType().Name}");
        }
    }

    public static string FormatTimestamp(long units, DataType type)
    {
        var perSecond = type.TimeUnitsPerSecond;
        var seconds = Math.DivRem(units, perSecond, out var frac);
        if (frac < 0) { frac += perSecond; seconds--; }
        var dt = DateTime.UnixEpoch.AddSeconds(seconds);
        var text = dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return frac == 0 ? text : text + "." + frac.ToString(perSecond == 1_000_000 ? "D6" : "D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static string FormatTime(long units, DataType type)
    {
        var perSecond = type.TimeUnitsPerSecond;
        var seconds = Math.DivRem(units, perSecond, out var frac);
        var text = TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return frac == 0 ? text : text + "." + frac.ToString(perSecond == 1_000_000 ? "D6" : "D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
