using System.Globalization;
using System.Text;

namespace Tarn.Execution.Text;

/// <summary>
/// A compiled Java date/time pattern (the subset Flink users write in DATE_FORMAT / TO_TIMESTAMP):
/// <c>y</c> year (<c>yy</c> two digits), <c>M</c> month (<c>MMM</c> Jan, <c>MMMM</c> January), <c>d</c> day,
/// <c>D</c> day of year, <c>H</c> hour 0-23, <c>h</c> hour 1-12, <c>a</c> AM/PM, <c>m</c> minute, <c>s</c> second,
/// <c>S</c> fraction digits, <c>E</c> day name (<c>EEE</c> Mon, <c>EEEE</c> Monday), <c>'text'</c> literals
/// (<c>''</c> is a quote). Other ASCII letters are rejected (22023) rather than printed.
/// Values are wall-clock microseconds since the epoch.
/// </summary>
public sealed class JavaDateFormat
{
    private static readonly string[] s_months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] s_days = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    private readonly record struct Token(char Letter, int Count, string? Literal);

    private readonly Token[] _tokens;

    private JavaDateFormat(Token[] tokens, string pattern)
    {
        _tokens = tokens;
        Pattern = pattern;
    }

    public string Pattern { get; }

    public static JavaDateFormat Compile(string pattern)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var sb = new StringBuilder();
                i++;
                if (i < pattern.Length && pattern[i] == '\'') { tokens.Add(new Token('\0', 0, "'")); i++; continue; }
                while (i < pattern.Length)
                {
                    if (pattern[i] == '\'')
                    {
                        if (i + 1 < pattern.Length && pattern[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                        break;
                    }
                    sb.Append(pattern[i++]);
                }
                if (i >= pattern.Length) throw Bad(pattern, "unterminated quote");
                i++;
                tokens.Add(new Token('\0', 0, sb.ToString()));
            }
            else if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < pattern.Length && pattern[i] == c) i++;
                if ("yMdDHhamsSE".IndexOf(c, StringComparison.Ordinal) < 0) throw Bad(pattern, $"unsupported pattern letter '{c}'");
                tokens.Add(new Token(c, i - start, null));
            }
            else
            {
                tokens.Add(new Token('\0', 0, c.ToString()));
                i++;
            }
        }
        return new JavaDateFormat([.. tokens], pattern);
    }

    private static TarnException Bad(string pattern, string why) =>
        new(SqlStates.InvalidParameterValue, $"invalid date format pattern '{pattern}': {why}");

    public string Format(long micros)
    {
        var days = CivilDate.FloorDiv(micros, CivilDate.MicrosPerDay);
        var inDay = micros - days * CivilDate.MicrosPerDay;
        CivilDate.FromDays(days, out var year, out var month, out var day);
        var secondOfDay = inDay / CivilDate.MicrosPerSecond;
        var fraction = inDay % CivilDate.MicrosPerSecond;
        var hour = (int)(secondOfDay / 3600);
        var minute = (int)(secondOfDay / 60 % 60);
        var second = (int)(secondOfDay % 60);
        var sb = new StringBuilder(Pattern.Length + 8);
        foreach (var t in _tokens)
        {
            if (t.Literal is not null) { sb.Append(t.Literal); continue; }
            switch (t.Letter)
            {
                case 'y':
                    if (t.Count == 2) Pad(sb, CivilDate.FloorMod(year, 100), 2);
                    else Pad(sb, year, t.Count);
                    break;
                case 'M':
                    if (t.Count >= 4) sb.Append(s_months[month - 1]);
                    else if (t.Count == 3) sb.Append(s_months[month - 1].AsSpan(0, 3));
                    else Pad(sb, month, t.Count);
                    break;
                case 'd': Pad(sb, day, t.Count); break;
                case 'D': Pad(sb, days - CivilDate.ToDays(year, 1, 1) + 1, t.Count); break;
                case 'H': Pad(sb, hour, t.Count); break;
                case 'h': Pad(sb, hour % 12 == 0 ? 12 : hour % 12, t.Count); break;
                case 'a': sb.Append(hour < 12 ? "AM" : "PM"); break;
                case 'm': Pad(sb, minute, t.Count); break;
                case 's': Pad(sb, second, t.Count); break;
                case 'S':
                    var digits = fraction.ToString("D6", CultureInfo.InvariantCulture);
                    sb.Append(t.Count <= 6 ? digits.AsSpan(0, t.Count) : digits + new string('0', t.Count - 6));
                    break;
                case 'E':
                    var name = s_days[CivilDate.DayOfWeek(days) - 1];
                    sb.Append(t.Count >= 4 ? name : name.AsSpan(0, 3));
                    break;
            }
        }
        return sb.ToString();
    }

    private static void Pad(StringBuilder sb, long v, int width)
    {
        if (v < 0) { sb.Append('-'); v = -v; }
        var s = v.ToString(CultureInfo.InvariantCulture);
        for (var i = s.Length; i < width; i++) sb.Append('0');
        sb.Append(s);
    }

    /// <summary>Parses text laid out by the pattern into wall-clock microseconds; false when it does not match.
    /// Fields not in the pattern default to 1970-01-01 00:00:00.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out long micros)
    {
        micros = 0;
        long year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, fraction = 0, dayOfYear = -1;
        var pm = -1;
        var hour12 = false;
        var pos = 0;
        for (var k = 0; k < _tokens.Length; k++)
        {
            var t = _tokens[k];
            if (t.Literal is not null)
            {
                if (!text[pos..].StartsWith(t.Literal, StringComparison.Ordinal)) return false;
                pos += t.Literal.Length;
                continue;
            }
            var nextIsNumber = k + 1 < _tokens.Length && _tokens[k + 1].Literal is null && "yMdDHhmsS".Contains(_tokens[k + 1].Letter, StringComparison.Ordinal);
            switch (t.Letter)
            {
                case 'M' when t.Count >= 3:
                    var found = false;
                    for (var m = 0; m < 12 && !found; m++)
                    {
                        var name = t.Count >= 4 ? s_months[m] : s_months[m][..3];
                        if (text[pos..].StartsWith(name, StringComparison.OrdinalIgnoreCase)) { month = m + 1; pos += name.Length; found = true; }
                    }
                    if (!found) return false;
                    break;
                case 'E':
                    var dayFound = false;
                    for (var d = 0; d < 7 && !dayFound; d++)
                    {
                        var name = t.Count >= 4 ? s_days[d] : s_days[d][..3];
                        if (text[pos..].StartsWith(name, StringComparison.OrdinalIgnoreCase)) { pos += name.Length; dayFound = true; }
                    }
                    if (!dayFound) return false;
                    break;
                case 'a':
                    if (text[pos..].StartsWith("AM", StringComparison.OrdinalIgnoreCase)) pm = 0;
                    else if (text[pos..].StartsWith("PM", StringComparison.OrdinalIgnoreCase)) pm = 1;
                    else return false;
                    pos += 2;
                    break;
                default:
                    var max = nextIsNumber ? t.Count : t.Letter switch { 'y' => 9, 'S' => 9, 'D' => 3, _ => Math.Max(t.Count, 2) };
                    var start = pos;
                    long v = 0;
                    while (pos < text.Length && pos - start < max && char.IsAsciiDigit(text[pos])) v = v * 10 + (text[pos++] - '0');
                    var read = pos - start;
                    if (read == 0 || (nextIsNumber && read != t.Count)) return false;
                    switch (t.Letter)
                    {
                        case 'y': year = t.Count == 2 && read == 2 ? 2000 + v : v; break;
                        case 'M': month = v; break;
                        case 'd': day = v; break;
                        case 'D': dayOfYear = v; break;
                        case 'H': hour = v; break;
                        case 'h': hour = v; hour12 = true; break;
                        case 'm': minute = v; break;
                        case 's': second = v; break;
                        case 'S':
                            for (var i = read; i < 6; i++) v *= 10;
                            for (var i = 6; i < read; i++) v /= 10;
                            fraction = v;
                            break;
                    }
                    break;
            }
        }
        if (pos != text.Length) return false;
        if (hour12)
        {
            if (hour is < 1 or > 12) return false;
            hour %= 12;
            if (pm == 1) hour += 12;
        }
        else if (pm == 1 && hour < 12) hour += 12;
        if (month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59) return false;
        long days;
        if (dayOfYear > 0)
        {
            if (dayOfYear > (CivilDate.IsLeapYear(year) ? 366 : 365)) return false;
            days = CivilDate.ToDays(year, 1, 1) + dayOfYear - 1;
        }
        else
        {
            if (day < 1 || day > CivilDate.DaysInMonth(year, (int)month)) return false;
            days = CivilDate.ToDays(year, (int)month, (int)day);
        }
        micros = days * CivilDate.MicrosPerDay + ((hour * 60 + minute) * 60 + second) * CivilDate.MicrosPerSecond + fraction;
        return true;
    }
}
