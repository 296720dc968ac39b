using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Tarn.Types;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Flink's further string functions. Lengths and positions count UTF-16 chars as Java (and Flink) do; bodies decode
/// the row to a .NET string where they need character semantics.
/// </summary>
public static class MoreStringFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["SPLIT_INDEX"] = (c, a, _) => new TextRowFunction(a, c.Type, SplitIndex);
        f["LPAD"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Pad(x, i, o, left: true));
        f["RPAD"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => Pad(x, i, o, left: false));
        f["REPEAT"] = (c, a, _) => new TextRowFunction(a, c.Type, Repeat);
        f["REVERSE"] = (c, a, _) => new TextRowFunction(a, c.Type, Reverse);
        f["INITCAP"] = (c, a, _) => new TextRowFunction(a, c.Type, InitCap);
        f["LEFT"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => LeftRight(x, i, o, left: true));
        f["RIGHT"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) => LeftRight(x, i, o, left: false));
        f["LOCATE"] = (c, a, _) => new ValueRowFunction<int>(a, c.Type, Locate, liftable: false);
        f["INSTR"] = (c, a, _) => new ValueRowFunction<int>(a, c.Type, Instr);
        f["ASCII"] = (c, a, _) => new ValueRowFunction<int>(a, c.Type, AsciiCode);
        f["CHR"] = (c, a, _) => new TextRowFunction(a, c.Type, Chr);
        f["OVERLAY"] = (c, a, _) => new TextRowFunction(a, c.Type, Overlay);
        f["TRANSLATE"] = (c, a, _) => new TextRowFunction(a, c.Type, Translate);
        f["ELT"] = (c, a, _) => new TextRowFunction(a, c.Type, Elt, liftable: false, strict: false);
        f["UUID"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, Guid.NewGuid().ToString("D"));
            return true;
        }, liftable: false);
        f["TO_BASE64"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, Convert.ToBase64String(x.Bytes(0, i)));
            return true;
        });
        f["FROM_BASE64"] = (c, a, _) => new TextRowFunction(a, c.Type, FromBase64, liftable: false);
        f["URL_ENCODE"] = (c, a, _) => new TextRowFunction(a, c.Type, UrlEncode);
        f["URL_DECODE"] = (c, a, _) => new TextRowFunction(a, c.Type, UrlDecode);
        f["ENCODE"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            o.Write(Charset(x.Text(1, i)).GetBytes(x.Text(0, i)));
            return true;
        }, liftable: false);
        f["DECODE"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, Charset(x.Text(1, i)).GetString(x.Bytes(0, i)));
            return true;
        }, liftable: false);
        f["BIN"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, Convert.ToString(x.Long(0, i), 2)); // two's complement for negatives, like Long.toBinaryString
            return true;
        });
        f["HEX"] = (c, a, _) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, x.Vector(0).Type.Physical == PhysicalType.Binary ? Convert.ToHexString(x.Bytes(0, i)) : x.Long(0, i).ToString("X", CultureInfo.InvariantCulture));
            return true;
        });
        f["PARSE_URL"] = (c, a, _) => new TextRowFunction(a, c.Type, ParseUrl);
    }

    /// <summary>SPLIT_INDEX(s, separator, index): the 0-based index-th field; NULL when the index is negative or past
    /// the last field. Fields are split on the whole separator, keeping empty fields (commons-lang
    /// splitByWholeSeparatorPreserveAllTokens); an empty string has no fields.</summary>
    private static bool SplitIndex(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Bytes(0, i);
        var sep = x.Bytes(1, i);
        var index = x.Long(2, i);
        if (index < 0 || s.IsEmpty) return false;
        if (sep.IsEmpty)
        {
            var parts = x.Text(0, i).Split((char[]?)null);
            if (index >= parts.Length) return false;
            RowText.Write(o, parts[index]);
            return true;
        }
        for (long k = 0; ; k++)
        {
            var at = s.IndexOf(sep);
            if (k == index)
            {
                o.Write(at < 0 ? s : s[..at]);
                return true;
            }
            if (at < 0) return false;
            s = s[(at + sep.Length)..];
        }
    }

    /// <summary>LPAD/RPAD(s, len, pad): NULL for a negative len or an empty pad; s longer than len is cut to its first
    /// len chars (Flink).</summary>
    private static bool Pad(in RowArgs x, int i, ArrayBufferWriter<byte> o, bool left)
    {
        var len = x.Long(1, i);
        var pad = x.Text(2, i);
        if (len < 0 || pad.Length == 0) return false;
        if (len > int.MaxValue / 4) throw RowText.Invalid($"{(left ? "LPAD" : "RPAD")} length {len} is too large");
        var s = x.Text(0, i);
        var keep = (int)Math.Min(len, s.Length);
        var fill = (int)len - keep;
        var sb = new StringBuilder((int)len);
        if (!left) sb.Append(s, 0, keep);
        for (var k = 0; k < fill; k++) sb.Append(pad[k % pad.Length]);
        if (left) sb.Append(s, 0, keep);
        RowText.Write(o, sb.ToString());
        return true;
    }

    private static bool Repeat(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Bytes(0, i);
        var times = x.Long(1, i);
        if (times > 0 && s.Length * times > 256L * 1024 * 1024) throw RowText.Invalid("REPEAT result is too large");
        for (long k = 0; k < times; k++) o.Write(s);
        return true;
    }

    /// <summary>REVERSE by text elements, so surrogate pairs and combining marks stay intact.</summary>
    private static bool Reverse(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Text(0, i);
        var e = StringInfo.GetTextElementEnumerator(s);
        var parts = new List<string>();
        while (e.MoveNext()) parts.Add(e.GetTextElement());
        for (var k = parts.Count - 1; k >= 0; k--) RowText.Write(o, parts[k]);
        return true;
    }

    /// <summary>INITCAP as Flink (Calcite's initcap): words are runs of ASCII letters and digits; their first letter
    /// is upper-cased and the rest lower-cased. Any other char (non-ASCII letters too) ends a word and is kept.</summary>
    private static bool InitCap(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var chars = x.Text(0, i).ToCharArray();
        var start = true;
        for (var k = 0; k < chars.Length; k++)
        {
            var c = chars[k];
            if (char.IsAsciiLetterOrDigit(c))
            {
                chars[k] = start ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                start = false;
            }
            else start = true;
        }
        RowText.Write(o, chars);
        return true;
    }

    /// <summary>LEFT/RIGHT(s, n): the first/last n chars; '' for negative n.</summary>
    private static bool LeftRight(in RowArgs x, int i, ArrayBufferWriter<byte> o, bool left)
    {
        var s = x.Text(0, i);
        var n = (int)Math.Clamp(x.Long(1, i), 0, s.Length);
        RowText.Write(o, left ? s.AsSpan(0, n) : s.AsSpan(s.Length - n));
        return true;
    }

    /// <summary>LOCATE(sub, s [, from]): 1-based position of sub in s at or after from (default 1); 0 when absent or
    /// from &lt; 1.</summary>
    private static bool Locate(in RowArgs x, int i, out int r)
    {
        var sub = x.Text(0, i);
        var s = x.Text(1, i);
        var from = x.Count > 2 ? x.Long(2, i) : 1;
        if (from < 1 || from > s.Length + 1) { r = 0; return true; }
        var at = s.IndexOf(sub, (int)from - 1, StringComparison.Ordinal);
        r = at + 1;
        return true;
    }

    /// <summary>INSTR(s, sub): 1-based position of the first sub in s, 0 when absent.</summary>
    private static bool Instr(in RowArgs x, int i, out int r)
    {
        r = x.Text(0, i).IndexOf(x.Text(1, i), StringComparison.Ordinal) + 1;
        return true;
    }

    /// <summary>ASCII(s): the code of the first char, 0 for ''.</summary>
    private static bool AsciiCode(in RowArgs x, int i, out int r)
    {
        var s = x.Text(0, i);
        r = s.Length == 0 ? 0 : s[0];
        return true;
    }

    /// <summary>CHR(n): the char with code n mod 256; '' for negative n (Flink).</summary>
    private static bool Chr(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var n = x.Long(0, i);
        if (n < 0) return true;
        Span<char> c = [(char)(n & 0xFF)];
        RowText.Write(o, c);
        return true;
    }

    /// <summary>OVERLAY(s PLACING r FROM pos [FOR len]): s[..pos-1] + r + s[pos-1+len..]; len defaults to r's length.</summary>
    private static bool Overlay(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Text(0, i);
        var r = x.Text(1, i);
        var pos = x.Long(2, i);
        var len = x.Count > 3 ? x.Long(3, i) : r.Length;
        var head = (int)Math.Clamp(pos - 1, 0, s.Length);
        var tail = (int)Math.Clamp(pos - 1 + Math.Max(len, 0), 0, s.Length);
        RowText.Write(o, s.AsSpan(0, head));
        RowText.Write(o, r);
        RowText.Write(o, s.AsSpan(tail));
        return true;
    }

    /// <summary>TRANSLATE(s, from, to): each char of s found in from becomes the char at the same place in to, or is
    /// removed when to is shorter; the first occurrence in from wins.</summary>
    private static bool Translate(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Text(0, i);
        var from = x.Text(1, i);
        var to = x.Text(2, i);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            var at = from.IndexOf(c, StringComparison.Ordinal);
            if (at < 0) sb.Append(c);
            else if (at < to.Length) sb.Append(to[at]);
        }
        RowText.Write(o, sb.ToString());
        return true;
    }

    /// <summary>ELT(n, e1, e2, ...): the n-th expression; NULL when n is NULL or out of range.</summary>
    private static bool Elt(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        if (x.IsNull(0, i)) return false;
        var n = x.Long(0, i);
        if (n < 1 || n >= x.Count || x.IsNull((int)n, i)) return false;
        o.Write(x.Bytes((int)n, i));
        return true;
    }

    private static bool FromBase64(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Bytes(0, i);
        var span = o.GetSpan(Math.Max(1, s.Length));
        var status = Base64.DecodeFromUtf8(s, span, out _, out var written);
        if (status != OperationStatus.Done)
            throw new TarnException(SqlStates.InvalidTextRepresentation, $"invalid base64 text '{x.Text(0, i)}'");
        o.Advance(written);
        return true;
    }

    /// <summary>URL_ENCODE as Java's URLEncoder (UTF-8, application/x-www-form-urlencoded: space → '+').</summary>
    private static bool UrlEncode(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Bytes(0, i);
        var hex = "0123456789ABCDEF"u8;
        foreach (var b in s)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-' or (byte)'*' or (byte)'_')
                o.Write([b]);
            else if (b == ' ') o.Write("+"u8);
            else o.Write([(byte)'%', hex[b >> 4], hex[b & 15]]);
        }
        return true;
    }

    /// <summary>URL_DECODE as Java's URLDecoder; NULL for a malformed %-escape (Flink).</summary>
    private static bool UrlDecode(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var s = x.Bytes(0, i);
        for (var k = 0; k < s.Length; k++)
        {
            var b = s[k];
            if (b == '+') o.Write(" "u8);
            else if (b == '%')
            {
                if (k + 2 >= s.Length) return false;
                var hi = HexValue(s[k + 1]);
                var lo = HexValue(s[k + 2]);
                if (hi < 0 || lo < 0) return false;
                o.Write([(byte)(hi * 16 + lo)]);
                k += 2;
            }
            else o.Write([b]);
        }
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static Encoding Charset(string name) => name.Trim().ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" => new UTF8Encoding(false),
        "US-ASCII" or "ASCII" => Encoding.ASCII,
        "ISO-8859-1" or "LATIN1" => Encoding.Latin1,
        "UTF-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
        "UTF-16LE" => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
        "UTF-16" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
        _ => throw RowText.Invalid($"unsupported charset '{name}'; expected one of US-ASCII, ISO-8859-1, UTF-8, UTF-16BE, UTF-16LE, UTF-16"),
    };

    /// <summary>PARSE_URL(url, part [, key]) as java.net.URL: HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY,
    /// USERINFO; with a key, the value of that query parameter. NULL when the part is absent or the URL is malformed.</summary>
    private static bool ParseUrl(in RowArgs x, int i, ArrayBufferWriter<byte> o)
    {
        var url = x.Text(0, i);
        var part = x.Text(1, i).ToUpperInvariant();
        var colon = url.IndexOf("://", StringComparison.Ordinal);
        if (colon <= 0) return false;
        var protocol = url[..colon];
        var rest = url[(colon + 3)..];
        string? reference = null, query = null;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) { reference = rest[(hash + 1)..]; rest = rest[..hash]; }
        var slash = rest.IndexOfAny(['/', '?']);
        var authority = slash < 0 ? rest : rest[..slash];
        var file = slash < 0 ? "" : rest[slash..];
        var qm = file.IndexOf('?', StringComparison.Ordinal);
        var path = qm < 0 ? file : file[..qm];
        if (qm >= 0) query = file[(qm + 1)..];
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? null : authority[..at];
        var hostPort = at < 0 ? authority : authority[(at + 1)..];
        var host = hostPort.StartsWith('[') ? hostPort[..(hostPort.IndexOf(']', StringComparison.Ordinal) + 1)] : hostPort.Split(':')[0];
        string? value = part switch
        {
            "HOST" => host,
            "PATH" => path,
            "QUERY" => query,
            "REF" => reference,
            "PROTOCOL" => protocol,
            "FILE" => file,
            "AUTHORITY" => authority,
            "USERINFO" => userInfo,
            _ => null,
        };
        if (x.Count > 2)
        {
            if (part != "QUERY" || query is null) return false;
            var key = x.Text(2, i);
            value = null;
            foreach (var pair in query.Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0 && pair.AsSpan(0, eq).SequenceEqual(key)) { value = pair[(eq + 1)..]; break; }
            }
        }
        if (value is null) return false;
        RowText.Write(o, value);
        return true;
    }
}
