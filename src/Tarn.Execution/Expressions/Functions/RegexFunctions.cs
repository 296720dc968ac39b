using System.Text.RegularExpressions;
using Tarn.Execution.Text;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// The compiled pattern of the last regular expression seen by one kernel: with a constant pattern (the usual case)
/// it is compiled once. Patterns are Java regular expressions (Flink); .NET's dialect agrees on the common subset.
/// Known differences: Java's possessive quantifiers (<c>a*+</c>) and POSIX classes (<c>\p{Alpha}</c>) are rejected
/// here, and a replacement's <c>\$</c> escape is Java-only (.NET writes <c>$$</c>). An invalid pattern is an error
/// (22023) rather than Flink's silent NULL, so mistakes are visible.
/// </summary>
public sealed class RegexCache
{
    private sealed record Entry(byte[] Pattern, Regex Regex);

    private volatile Entry? _last;

    public Regex Get(ReadOnlySpan<byte> pattern)
    {
        var e = _last;
        if (e is not null && pattern.SequenceEqual(e.Pattern)) return e.Regex;
        var text = Utf8Text.Decode(pattern);
        Regex regex;
        try
        {
            regex = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10)); // a runaway pattern fails the query instead of hanging it
        }
        catch (ArgumentException ex)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"invalid regular expression '{text}': {ex.Message}");
        }
        _last = new Entry(pattern.ToArray(), regex);
        return regex;
    }
}

/// <summary>REGEXP_EXTRACT, REGEXP_REPLACE, REGEXP, REGEXP_COUNT, REGEXP_INSTR.</summary>
public static class RegexFunctions
{
    /// <summary>Java's Matcher replacement syntax in .NET's: <c>\x</c> is a literal x, <c>$n</c> and <c>${name}</c> are
    /// groups, a literal <c>$</c> becomes <c>$$</c>; null when Java would reject it (a trailing backslash, a bare $).</summary>
    public static string? JavaReplacement(string java)
    {
        var sb = new System.Text.StringBuilder(java.Length + 4);
        for (var k = 0; k < java.Length; k++)
        {
            var ch = java[k];
            if (ch == '\\')
            {
                if (++k >= java.Length) return null;
                if (java[k] == '$') sb.Append("$$");
                else sb.Append(java[k]);
            }
            else if (ch == '$')
            {
                if (k + 1 >= java.Length) return null;
                var next = java[k + 1];
                if (char.IsAsciiDigit(next))
                {
                    sb.Append("${").Append(next).Append('}'); // one digit: Java extends it only while the group exists
                    k++;
                }
                else if (next == '{')
                {
                    var close = java.IndexOf('}', k + 2);
                    if (close < 0) return null;
                    sb.Append(java, k, close - k + 1);
                    k = close;
                }
                else return null;
            }
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        // REGEXP_EXTRACT(s, regex [, group]): the group (default 0 = whole match) of the first match; NULL when
        // nothing matches or the group does not exist (Flink).
        f["REGEXP_EXTRACT"] = (c, a, _) =>
        {
            var cache = new RegexCache();
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, System.Buffers.ArrayBufferWriter<byte> o) =>
            {
                var group = x.Count > 2 ? x.Long(2, i) : 0;
                var m = cache.Get(x.Bytes(1, i)).Match(x.Text(0, i));
                if (!m.Success || group < 0 || group >= m.Groups.Count) return false;
                var g = m.Groups[(int)group];
                if (!g.Success) return false;
                RowText.Write(o, g.ValueSpan);
                return true;
            });
        };
        // REGEXP_REPLACE(s, regex, replacement): every match replaced; the replacement uses Java's syntax ($n, ${name},
        // \ escapes), translated to .NET's.
        f["REGEXP_REPLACE"] = (c, a, _) =>
        {
            var cache = new RegexCache();
            string? lastJava = null, lastNet = null;
            return new TextRowFunction(a, c.Type, (in RowArgs x, int i, System.Buffers.ArrayBufferWriter<byte> o) =>
            {
                var java = x.Text(2, i);
                if (java != lastJava) (lastJava, lastNet) = (java, JavaReplacement(java));
                if (lastNet is null) return false; // Java rejects the replacement; Flink returns NULL
                RowText.Write(o, cache.Get(x.Bytes(1, i)).Replace(x.Text(0, i), lastNet));
                return true;
            });
        };
        // REGEXP(s, regex): TRUE when some (possibly empty) substring matches (Java's Matcher.find).
        f["REGEXP"] = (c, a, _) =>
        {
            var cache = new RegexCache();
            return new ValueRowFunction<bool>(a, c.Type, (in RowArgs x, int i, out bool r) =>
            {
                r = cache.Get(x.Bytes(1, i)).IsMatch(x.Text(0, i));
                return true;
            });
        };
        f["REGEXP_COUNT"] = (c, a, _) =>
        {
            var cache = new RegexCache();
            return new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
            {
                r = cache.Get(x.Bytes(1, i)).Count(x.Text(0, i));
                return true;
            });
        };
        // REGEXP_INSTR(s, regex): 1-based character position of the first match, 0 when none.
        f["REGEXP_INSTR"] = (c, a, _) =>
        {
            var cache = new RegexCache();
            return new ValueRowFunction<int>(a, c.Type, (in RowArgs x, int i, out int r) =>
            {
                var m = cache.Get(x.Bytes(1, i)).Match(x.Text(0, i));
                r = m.Success ? m.Index + 1 : 0;
                return true;
            });
        };
    }
}
