using System.Text;

namespace Tarn.Storage.Tables;

/// <summary>
/// The values of a row's partition columns, in canonical text form (null for SQL NULL). Two rows belong to
/// the same partition exactly when their keys are equal. The directory name derived from it is only for
/// people and tools browsing the database: readers find files through the manifest, never by parsing paths.
/// </summary>
public sealed class PartitionKey : IEquatable<PartitionKey>
{
    public static readonly PartitionKey None = new([]);

    public PartitionKey(string?[] values) => Values = values;

    public string?[] Values { get; }

    public bool Equals(PartitionKey? other)
    {
        if (other is null || other.Values.Length != Values.Length) return false;
        for (var i = 0; i < Values.Length; i++)
            if (!string.Equals(Values[i], other.Values[i], StringComparison.Ordinal)) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as PartitionKey);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var v in Values) h.Add(v, StringComparer.Ordinal);
        return h.ToHashCode();
    }

    /// <summary>Hive-style relative directory, e.g. <c>ts_day=2024-01-01/ts_hour=10</c>.</summary>
    public string ToPath(IReadOnlyList<string> columnNames)
    {
        if (Values.Length == 0) return "";
        var sb = new StringBuilder();
        for (var i = 0; i < Values.Length; i++)
        {
            if (i > 0) sb.Append('/');
            sb.Append(Escape(columnNames[i])).Append('=').Append(Values[i] is { } v ? Escape(v) : "__NULL__");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Percent-escapes every byte of the UTF-8 text except ASCII letters, digits, '-', '_', '.', ':' and space;
    /// a leading '.' is escaped too, and names longer than 100 characters are cut and suffixed with '~' and the
    /// CRC-32C of the full text in hex (storage-spec/01-database-layout.md, "Partitions"). Part of the format:
    /// readers derive file paths from it.
    /// </summary>
    private static string Escape(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var c = (char)b;
            var keep = b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or ' ' || (c == '.' && i > 0));
            if (keep) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            if (sb.Length > 100)
            {
                sb.Append('~').Append(Checksums.Crc32C.Compute(bytes).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
                break;
            }
        }
        return sb.ToString();
    }

    public override string ToString() => Values.Length == 0 ? "(unpartitioned)" : string.Join(", ", Values.Select(v => v ?? "NULL"));
}
