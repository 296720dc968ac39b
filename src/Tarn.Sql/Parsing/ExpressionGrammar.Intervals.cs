using System.Collections.Frozen;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class ExpressionGrammar
{
    private static readonly FrozenDictionary<string, TimeUnit> TimeUnits = new Dictionary<string, TimeUnit>(StringComparer.OrdinalIgnoreCase)
    {
        ["YEAR"] = TimeUnit.Year,
        ["QUARTER"] = TimeUnit.Quarter,
        ["MONTH"] = TimeUnit.Month,
        ["WEEK"] = TimeUnit.Week,
        ["DAY"] = TimeUnit.Day,
        ["HOUR"] = TimeUnit.Hour,
        ["MINUTE"] = TimeUnit.Minute,
        ["SECOND"] = TimeUnit.Second,
        ["MILLISECOND"] = TimeUnit.Millisecond,
        ["MICROSECOND"] = TimeUnit.Microsecond,
        ["NANOSECOND"] = TimeUnit.Nanosecond,
        ["DOW"] = TimeUnit.DayOfWeek,
        ["DOY"] = TimeUnit.DayOfYear,
        ["ISODOW"] = TimeUnit.IsoDayOfWeek,
        ["ISOYEAR"] = TimeUnit.IsoYear,
        ["EPOCH"] = TimeUnit.Epoch,
        ["DECADE"] = TimeUnit.Decade,
        ["CENTURY"] = TimeUnit.Century,
        ["MILLENNIUM"] = TimeUnit.Millennium,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Interval fields; the plural spellings (MINUTES) are accepted as Flink's documentation uses them.</summary>
    private static readonly FrozenDictionary<string, TimeUnit> IntervalUnits = new Dictionary<string, TimeUnit>(StringComparer.OrdinalIgnoreCase)
    {
        ["YEAR"] = TimeUnit.Year,
        ["YEARS"] = TimeUnit.Year,
        ["MONTH"] = TimeUnit.Month,
        ["MONTHS"] = TimeUnit.Month,
        ["DAY"] = TimeUnit.Day,
        ["DAYS"] = TimeUnit.Day,
        ["HOUR"] = TimeUnit.Hour,
        ["HOURS"] = TimeUnit.Hour,
        ["MINUTE"] = TimeUnit.Minute,
        ["MINUTES"] = TimeUnit.Minute,
        ["SECOND"] = TimeUnit.Second,
        ["SECONDS"] = TimeUnit.Second,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>A date-time field name such as DAY, DOW or EPOCH.</summary>
    private static TokenListParserResult<SqlToken, TimeUnit> TimeUnitWord(TokenList<SqlToken> input) =>
        UnitWord(input, TimeUnits, "time unit");

    private static TokenListParserResult<SqlToken, TimeUnit> UnitWord(TokenList<SqlToken> input, FrozenDictionary<string, TimeUnit> units, string expectation)
    {
        if (Peek(input, out var t) && t.Kind == SqlToken.Identifier
            && units.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(t.Span.AsReadOnlySpan(), out var unit))
            return Ok(unit, input, Skip(input));
        return Expected<TimeUnit>(input, expectation);
    }

    /// <summary>INTERVAL [+|-]'value' qualifier.</summary>
    private static TokenListParserResult<SqlToken, Expression> Interval(TokenList<SqlToken> input)
    {
        Peek(input, out var word);
        var rest = Skip(input);
        var negative = false;
        if (Peek(rest, out var sign) && sign.Kind is SqlToken.Minus or SqlToken.Plus)
        {
            negative = sign.Kind == SqlToken.Minus;
            rest = Skip(rest);
        }
        var value = StringValue(rest);
        if (!value.HasValue)
            return Fail<string, Expression>(value);
        var qualifier = IntervalQualifier(value.Remainder);
        if (!qualifier.HasValue)
            return Fail<IntervalQualifier, Expression>(qualifier);
        return Ok<Expression>(new IntervalLiteral(value.Value, negative, qualifier.Value, Pos(word)), input, qualifier.Remainder);
    }

    /// <summary>unit [(p [, fp])] [TO unit [(fp)]], checked for a valid combination.</summary>
    private static TokenListParserResult<SqlToken, IntervalQualifier> IntervalQualifier(TokenList<SqlToken> input)
    {
        Peek(input, out var startToken);
        var start = UnitWord(input, IntervalUnits, "interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
        if (!start.HasValue)
            return Fail<TimeUnit, IntervalQualifier>(start);
        var rest = start.Remainder;
        int? precision = null;
        int? fractional = null;
        if (NextIs(rest, SqlToken.LeftParen))
        {
            var numbers = Parenthesized(SmallInteger)(rest);
            if (!numbers.HasValue)
                return Fail<NodeList<int>, IntervalQualifier>(numbers);
            var allowed = start.Value == TimeUnit.Second ? 2 : 1;
            if (numbers.Value.Count > allowed)
                throw SyntaxErrors.At(startToken, $"too many precisions for interval unit {start.Value.ToString().ToUpperInvariant()}");
            precision = numbers.Value[0];
            if (numbers.Value.Count == 2)
                fractional = numbers.Value[1];
            rest = numbers.Remainder;
        }

        TimeUnit? end = null;
        if (NextIsWord(rest, "TO"))
        {
            var endAt = Skip(rest);
            Peek(endAt, out var endToken);
            var e = UnitWord(endAt, IntervalUnits, "interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
            if (!e.HasValue)
                return Fail<TimeUnit, IntervalQualifier>(e);
            if (!IsValidRange(start.Value, e.Value))
                throw SyntaxErrors.At(endToken, $"invalid interval qualifier {start.Value.ToString().ToUpperInvariant()} TO {e.Value.ToString().ToUpperInvariant()}");
            if (fractional is not null)
                throw SyntaxErrors.At(startToken, "a fractional second precision belongs after TO SECOND");
            end = e.Value;
            rest = e.Remainder;
            if (NextIs(rest, SqlToken.LeftParen))
            {
                if (end != TimeUnit.Second)
                    throw SyntaxErrors.At(endToken, "only SECOND takes a precision after TO");
                var fp = Parenthesized(SmallInteger)(rest);
                if (!fp.HasValue)
                    return Fail<NodeList<int>, IntervalQualifier>(fp);
                if (fp.Value.Count != 1)
                    throw SyntaxErrors.At(endToken, "TO SECOND takes a single fractional precision");
                fractional = fp.Value[0];
                rest = fp.Remainder;
            }
        }
        if (precision is < 1 or > 10 || fractional is > 9)
            throw SyntaxErrors.At(startToken, "interval precision out of range (leading precision 1 to 10, fractional 0 to 9)");
        return Ok(new IntervalQualifier(start.Value, end, precision, fractional), input, rest);
    }

    private static bool IsValidRange(TimeUnit start, TimeUnit end) => (start, end) switch
    {
        (TimeUnit.Year, TimeUnit.Month) => true,
        (TimeUnit.Day, TimeUnit.Hour or TimeUnit.Minute or TimeUnit.Second) => true,
        (TimeUnit.Hour, TimeUnit.Minute or TimeUnit.Second) => true,
        (TimeUnit.Minute, TimeUnit.Second) => true,
        _ => false,
    };
}
