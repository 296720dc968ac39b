using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>CREATE / DROP of functions (SQL macros, Flink's class-backed functions) and sequences.</summary>
internal static partial class DdlGrammar
{
    /// <summary>After CREATE [OR REPLACE] [TEMPORARY]: FUNCTION, MACRO or SEQUENCE, or null when it is none of them.</summary>
    private static TokenListParserResult<SqlToken, Statement>? CreateFunctionOrSequence(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, bool orReplace, bool temporary, SourcePosition position)
    {
        if (temporary && NextIsWord(rest, "SYSTEM") && PeekAt(rest, 1, out var f) && IsWord(f, "FUNCTION"))
            rest = Skip(rest); // Flink's TEMPORARY SYSTEM FUNCTION
        if (NextIsWord(rest, "FUNCTION") || NextIsWord(rest, "MACRO"))
            return CreateFunction(input, Skip(rest), orReplace, temporary, position);
        if (NextIsWord(rest, "SEQUENCE"))
            return CreateSequence(input, Skip(rest), orReplace, temporary, position);
        return null;
    }

    private static TokenListParserResult<SqlToken, Statement> CreateFunction(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, bool orReplace, bool temporary, SourcePosition position)
    {
        var head = IfNotExistsName(rest);
        if (!head.HasValue)
            return Fail<(bool, QualifiedName), Statement>(head);
        var (ifNotExists, name) = head.Value;
        rest = head.Remainder;
        if (NextIsWord(rest, "AS") && PeekAt(rest, 1, out var cls) && cls.Kind == SqlToken.String)
            return ExternalFunction(input, Skip(rest), name, temporary, ifNotExists, position);
        var parameters = Parenthesized(Name, allowEmpty: true)(rest);
        if (!parameters.HasValue)
            return Fail<NodeList<Identifier>, Statement>(parameters);
        var @as = Keyword("AS")(parameters.Remainder);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, Statement>(@as);
        if (NextIsWord(@as.Remainder, "TABLE"))
        {
            var query = QueryGrammar.Query(Skip(@as.Remainder));
            return query.HasValue
                ? Ok<Statement>(new CreateMacroStatement(name, orReplace, temporary, ifNotExists, parameters.Value, null, query.Value, position), input, query.Remainder)
                : Fail<Query, Statement>(query);
        }
        var body = ExpressionGrammar.Expression(@as.Remainder);
        return body.HasValue
            ? Ok<Statement>(new CreateMacroStatement(name, orReplace, temporary, ifNotExists, parameters.Value, body.Value, null, position), input, body.Remainder)
            : Fail<Expression, Statement>(body);
    }

    /// <summary>Flink: AS 'class' [LANGUAGE JAVA|SCALA|PYTHON] [USING JAR 'path' [, JAR 'path']*].</summary>
    private static TokenListParserResult<SqlToken, Statement> ExternalFunction(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, QualifiedName name, bool temporary, bool ifNotExists, SourcePosition position)
    {
        var className = StringValue(rest);
        if (!className.HasValue)
            return Fail<string, Statement>(className);
        rest = className.Remainder;
        string? language = null;
        if (NextIsWord(rest, "LANGUAGE"))
        {
            var lang = Name(Skip(rest));
            if (!lang.HasValue)
                return Fail<Identifier, Statement>(lang);
            language = lang.Value.Value.ToUpperInvariant();
            rest = lang.Remainder;
        }
        if (NextIsWord(rest, "USING"))
        {
            rest = Skip(rest);
            while (true)
            {
                var jar = Keyword("JAR")(rest);
                if (!jar.HasValue)
                    return Fail<Token<SqlToken>, Statement>(jar);
                var path = StringValue(jar.Remainder);
                if (!path.HasValue)
                    return Fail<string, Statement>(path);
                rest = path.Remainder;
                if (!NextIs(rest, SqlToken.Comma))
                    break;
                rest = Skip(rest);
            }
        }
        return Ok<Statement>(new CreateExternalFunctionStatement(name, temporary, ifNotExists, className.Value, language, position), input, rest);
    }

    private static TokenListParserResult<SqlToken, Statement> CreateSequence(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, bool orReplace, bool temporary, SourcePosition position)
    {
        var head = IfNotExistsName(rest);
        if (!head.HasValue)
            return Fail<(bool, QualifiedName), Statement>(head);
        var (ifNotExists, name) = head.Value;
        rest = head.Remainder;
        long? start = null, increment = null, min = null, max = null;
        var cycle = false;
        while (!AtStatementEnd(rest))
        {
            if (NextIsWord(rest, "START") || NextIsWord(rest, "INCREMENT") || NextIsWord(rest, "MINVALUE") || NextIsWord(rest, "MAXVALUE"))
            {
                Peek(rest, out var option);
                rest = Skip(rest);
                if (IsWord(option, "START") && NextIsWord(rest, "WITH") || IsWord(option, "INCREMENT") && NextIsWord(rest, "BY"))
                    rest = Skip(rest);
                var value = SignedLong(rest);
                if (!value.HasValue)
                    return Fail<long, Statement>(value);
                rest = value.Remainder;
                if (IsWord(option, "START")) start = value.Value;
                else if (IsWord(option, "INCREMENT")) increment = value.Value;
                else if (IsWord(option, "MINVALUE")) min = value.Value;
                else max = value.Value;
            }
            else if (NextAreWords(rest, "NO", "MINVALUE") || NextAreWords(rest, "NO", "MAXVALUE"))
            {
                rest = Skip(rest, 2);
            }
            else if (NextAreWords(rest, "NO", "CYCLE"))
            {
                cycle = false;
                rest = Skip(rest, 2);
            }
            else if (NextIsWord(rest, "CYCLE"))
            {
                cycle = true;
                rest = Skip(rest);
            }
            else
            {
                return Expected<Statement>(rest, "START", "INCREMENT", "MINVALUE", "MAXVALUE", "CYCLE", "NO");
            }
        }
        return Ok<Statement>(new CreateSequenceStatement(name, orReplace, temporary, ifNotExists, start, increment, min, max, cycle, position), input, rest);
    }

    /// <summary>[-|+] integer, as a long.</summary>
    private static TokenListParserResult<SqlToken, long> SignedLong(TokenList<SqlToken> input)
    {
        var rest = input;
        var negative = false;
        if (NextIs(rest, SqlToken.Minus) || NextIs(rest, SqlToken.Plus))
        {
            negative = NextIs(rest, SqlToken.Minus);
            rest = Skip(rest);
        }
        if (!Peek(rest, out var number) || number.Kind != SqlToken.Integer)
            return Expected<long>(rest, "integer");
        var text = (negative ? "-" : "") + number.ToStringValue();
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw SyntaxErrors.At(number, $"integer {text} is out of range for a sequence");
        return Ok(value, input, Skip(rest));
    }

    /// <summary>After DROP [TEMPORARY]: [SYSTEM] FUNCTION | MACRO [TABLE] | SEQUENCE, or null when it is none of them.</summary>
    private static TokenListParserResult<SqlToken, Statement>? DropFunctionOrSequence(TokenList<SqlToken> input, TokenList<SqlToken> rest, bool temporary, SourcePosition position)
    {
        if (temporary && NextIsWord(rest, "SYSTEM") && PeekAt(rest, 1, out var f) && IsWord(f, "FUNCTION"))
            rest = Skip(rest);
        var isSequence = !temporary && NextIsWord(rest, "SEQUENCE");
        if (!isSequence && !NextIsWord(rest, "FUNCTION") && !NextIsWord(rest, "MACRO"))
            return null;
        var macro = NextIsWord(rest, "MACRO");
        rest = Skip(rest);
        if (macro && NextIsWord(rest, "TABLE"))
            rest = Skip(rest);
        var ifExists = IfExists(rest);
        if (!ifExists.HasValue)
            return Fail<bool, Statement>(ifExists);
        var name = DottedName(ifExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        rest = name.Remainder;
        if (NextIsWord(rest, "CASCADE") || NextIsWord(rest, "RESTRICT"))
            rest = Skip(rest);
        Statement statement = isSequence
            ? new DropSequenceStatement(name.Value, ifExists.Value, position)
            : new DropFunctionStatement(name.Value, temporary, ifExists.Value, position);
        return Ok(statement, input, rest);
    }
}
