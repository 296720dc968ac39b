using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>SHOW ... and DESCRIBE.</summary>
internal static class ShowGrammar
{
    public static TokenListParserResult<SqlToken, Statement> Show(TokenList<SqlToken> input)
    {
        Peek(input, out var show);
        var position = Pos(show);
        var rest = Skip(input);
        Peek(rest, out var what);
        var after = Skip(rest);

        if (IsWord(what, "CATALOGS"))
            return Ok<Statement>(new ShowCatalogsStatement(position), input, after);
        if (IsWord(what, "JOBS"))
            return Ok<Statement>(new ShowJobsStatement(position), input, after);
        if (IsWord(what, "CURRENT"))
        {
            if (NextIsWord(after, "CATALOG"))
                return Ok<Statement>(new ShowCurrentCatalogStatement(position), input, Skip(after));
            if (NextIsWord(after, "DATABASE"))
                return Ok<Statement>(new ShowCurrentDatabaseStatement(position), input, Skip(after));
            return Expected<Statement>(after, "CATALOG", "DATABASE");
        }
        if (IsWord(what, "DATABASES"))
        {
            var catalog = OptionalSource(after, Name);
            if (!catalog.HasValue)
                return Fail<Identifier?, Statement>(catalog);
            var filter = Filter(catalog.Remainder);
            return filter.HasValue
                ? Ok<Statement>(new ShowDatabasesStatement(catalog.Value, filter.Value, position), input, filter.Remainder)
                : Fail<ShowFilter?, Statement>(filter);
        }
        if (IsWord(what, "TABLES") || IsWord(what, "VIEWS"))
        {
            var database = OptionalSource(after, DottedName);
            if (!database.HasValue)
                return Fail<QualifiedName?, Statement>(database);
            var filter = Filter(database.Remainder);
            if (!filter.HasValue)
                return Fail<ShowFilter?, Statement>(filter);
            Statement statement = IsWord(what, "TABLES")
                ? new ShowTablesStatement(database.Value, filter.Value, position)
                : new ShowViewsStatement(database.Value, filter.Value, position);
            return Ok(statement, input, filter.Remainder);
        }
        if (IsWord(what, "FUNCTIONS") || (IsWord(what, "USER") && NextIsWord(after, "FUNCTIONS")))
        {
            var userOnly = IsWord(what, "USER");
            var filter = Filter(userOnly ? Skip(after) : after);
            return filter.HasValue
                ? Ok<Statement>(new ShowFunctionsStatement(userOnly, filter.Value, position), input, filter.Remainder)
                : Fail<ShowFilter?, Statement>(filter);
        }
        if (IsWord(what, "COLUMNS"))
        {
            if (!NextIsWord(after, "FROM") && !NextIsWord(after, "IN"))
                return Expected<Statement>(after, "FROM", "IN");
            var table = DottedName(Skip(after));
            if (!table.HasValue)
                return Fail<QualifiedName, Statement>(table);
            var filter = Filter(table.Remainder);
            return filter.HasValue
                ? Ok<Statement>(new ShowColumnsStatement(table.Value, filter.Value, position), input, filter.Remainder)
                : Fail<ShowFilter?, Statement>(filter);
        }
        if (IsWord(what, "CREATE"))
        {
            var isView = NextIsWord(after, "VIEW");
            if (!isView && !NextIsWord(after, "TABLE"))
                return Expected<Statement>(after, "TABLE", "VIEW");
            var name = DottedName(Skip(after));
            return name.HasValue
                ? Ok<Statement>(new ShowCreateStatement(name.Value, isView, position), input, name.Remainder)
                : Fail<QualifiedName, Statement>(name);
        }
        return Expected<Statement>(rest, "CATALOGS", "CURRENT", "DATABASES", "TABLES", "VIEWS", "FUNCTIONS", "COLUMNS", "JOBS", "CREATE");
    }

    /// <summary>[FROM | IN name].</summary>
    private static TokenListParserResult<SqlToken, T?> OptionalSource<T>(TokenList<SqlToken> input, TokenListParser<SqlToken, T> name) where T : class
    {
        if (!NextIsWord(input, "FROM") && !NextIsWord(input, "IN"))
            return Ok<T?>(null, input, input);
        var value = name(Skip(input));
        return value.HasValue ? Ok<T?>(value.Value, input, value.Remainder) : Fail<T, T?>(value);
    }

    /// <summary>[[NOT] LIKE | ILIKE 'pattern'].</summary>
    private static TokenListParserResult<SqlToken, ShowFilter?> Filter(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        var rest = input;
        var negated = NextIsWord(rest, "NOT");
        if (negated)
            rest = Skip(rest);
        var caseInsensitive = NextIsWord(rest, "ILIKE");
        if (!caseInsensitive && !NextIsWord(rest, "LIKE"))
            return negated ? Expected<ShowFilter?>(rest, "LIKE", "ILIKE") : Ok<ShowFilter?>(null, input, input);
        var pattern = StringValue(Skip(rest));
        return pattern.HasValue
            ? Ok<ShowFilter?>(new ShowFilter(pattern.Value, negated, caseInsensitive, Pos(first)), input, pattern.Remainder)
            : Fail<string, ShowFilter?>(pattern);
    }

    /// <summary>DESCRIBE name and DESC name.</summary>
    public static TokenListParserResult<SqlToken, Statement> Describe(TokenList<SqlToken> input)
    {
        Peek(input, out var describe);
        var name = DottedName(Skip(input));
        return name.HasValue
            ? Ok<Statement>(new DescribeStatement(name.Value, Pos(describe)), input, name.Remainder)
            : Fail<QualifiedName, Statement>(name);
    }
}
