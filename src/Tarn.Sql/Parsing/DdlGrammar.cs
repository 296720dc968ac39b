using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>CREATE / DROP / USE of catalogs, databases, tables and views.</summary>
internal static partial class DdlGrammar
{
    /// <summary>IF NOT EXISTS as a flag.</summary>
    private static TokenListParserResult<SqlToken, bool> IfNotExists(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "IF"))
            return Ok(false, input, input);
        var words = Keywords("IF", "NOT", "EXISTS")(input);
        return words.HasValue ? Ok(true, input, words.Remainder) : Fail<Token<SqlToken>, bool>(words);
    }

    /// <summary><c>[IF NOT EXISTS] name</c>, the head of most CREATE statements.</summary>
    private static TokenListParserResult<SqlToken, (bool IfNotExists, QualifiedName Name)> IfNotExistsName(TokenList<SqlToken> input)
    {
        var ifNotExists = IfNotExists(input);
        if (!ifNotExists.HasValue)
            return Fail<bool, (bool, QualifiedName)>(ifNotExists);
        var name = DottedName(ifNotExists.Remainder);
        return name.HasValue ? Ok((ifNotExists.Value, name.Value), input, name.Remainder) : Fail<QualifiedName, (bool, QualifiedName)>(name);
    }

    /// <summary>IF EXISTS as a flag.</summary>
    private static TokenListParserResult<SqlToken, bool> IfExists(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "IF"))
            return Ok(false, input, input);
        var words = Keywords("IF", "EXISTS")(input);
        return words.HasValue ? Ok(true, input, words.Remainder) : Fail<Token<SqlToken>, bool>(words);
    }

    public static TokenListParserResult<SqlToken, Statement> Create(TokenList<SqlToken> input)
    {
        Peek(input, out var create);
        var rest = Skip(input);
        if (NextAreWords(rest, "OR", "REPLACE"))
        {
            var kind = Skip(rest, 2);
            var temp = NextIsWord(kind, "TEMPORARY") || NextIsWord(kind, "TEMP") ? Skip(kind) : kind;
            if (NextIsWord(temp, "TABLE"))
                return MarkOrReplace(CreateTable(input, Skip(temp), temp.Position != kind.Position, Pos(create)), kind);
            if (NextIsWord(temp, "VIEW"))
                return MarkOrReplace(CreateView(input, Skip(temp), temp.Position != kind.Position, Pos(create)), kind);
            if (CreateFunctionOrSequence(input, temp, orReplace: true, temp.Position != kind.Position, Pos(create)) is { } replaced)
                return replaced;
            return Expected<Statement>(temp, "TABLE", "VIEW", "TEMPORARY");
        }
        var temporary = NextIsWord(rest, "TEMPORARY") || NextIsWord(rest, "TEMP"); // TEMP: PostgreSQL / DuckDB
        if (temporary)
            rest = Skip(rest);
        if (NextIsWord(rest, "TABLE"))
            return CreateTable(input, Skip(rest), temporary, Pos(create));
        if (!temporary && NextIsWord(rest, "INDEX"))
            return CreateIndex(input, Skip(rest), unique: false, Pos(create));
        if (!temporary && NextAreWords(rest, "UNIQUE", "INDEX"))
            return CreateIndex(input, Skip(rest, 2), unique: true, Pos(create));
        if (NextIsWord(rest, "VIEW"))
            return CreateView(input, Skip(rest), temporary, Pos(create));
        if (CreateFunctionOrSequence(input, rest, orReplace: false, temporary, Pos(create)) is { } function)
            return function;
        if (!temporary && NextAreWords(rest, "RECURSIVE", "VIEW"))
            return CreateRecursiveView(input, Skip(rest, 2), Pos(create));
        if (!temporary && NextIsWord(rest, "CATALOG"))
            return CreateCatalog(input, Skip(rest), Pos(create));
        if (!temporary && (NextIsWord(rest, "DATABASE") || NextIsWord(rest, "SCHEMA"))) // a schema is a Flink database
            return CreateDatabase(input, Skip(rest), Pos(create));
        return temporary
            ? Expected<Statement>(rest, "TABLE", "VIEW")
            : Expected<Statement>(rest, "TABLE", "VIEW", "DATABASE", "CATALOG", "TEMPORARY", "INDEX");
    }

    /// <summary>
    /// Marks CREATE OR REPLACE [TEMPORARY] TABLE | VIEW (PostgreSQL, DuckDB; Flink for CREATE OR REPLACE TABLE AS):
    /// the statement parsed as a plain CREATE, which must be a table or view without IF NOT EXISTS.
    /// </summary>
    private static TokenListParserResult<SqlToken, Statement> MarkOrReplace(TokenListParserResult<SqlToken, Statement> plain, TokenList<SqlToken> kind)
    {
        if (!plain.HasValue)
            return plain;
        Statement? marked = plain.Value switch
        {
            CreateTableStatement { IfNotExists: false } t => t with { OrReplace = true },
            CreateTableAsStatement { IfNotExists: false } t => t with { OrReplace = true },
            CreateViewStatement { IfNotExists: false } v => v with { OrReplace = true },
            _ => null,
        };
        return marked is null ? Expected<Statement>(kind, "TABLE or VIEW without IF NOT EXISTS after OR REPLACE") : Ok(marked, plain.Location, plain.Remainder);
    }

    private static TokenListParserResult<SqlToken, Statement> CreateCatalog(TokenList<SqlToken> input, TokenList<SqlToken> rest, SourcePosition position)
    {
        var ifNotExists = IfNotExists(rest);
        if (!ifNotExists.HasValue)
            return Fail<bool, Statement>(ifNotExists);
        var name = Name(ifNotExists.Remainder);
        if (!name.HasValue)
            return Fail<Identifier, Statement>(name);
        var tail = CommentAndOptions(name.Remainder);
        if (!tail.HasValue)
            return Fail<(string?, NodeList<Property>), Statement>(tail);
        var (comment, options) = tail.Value;
        return Ok<Statement>(new CreateCatalogStatement(name.Value, ifNotExists.Value, comment, options, position), input, tail.Remainder);
    }

    private static TokenListParserResult<SqlToken, Statement> CreateDatabase(TokenList<SqlToken> input, TokenList<SqlToken> rest, SourcePosition position)
    {
        var ifNotExists = IfNotExists(rest);
        if (!ifNotExists.HasValue)
            return Fail<bool, Statement>(ifNotExists);
        var name = DottedName(ifNotExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        var tail = CommentAndOptions(name.Remainder);
        if (!tail.HasValue)
            return Fail<(string?, NodeList<Property>), Statement>(tail);
        var (comment, options) = tail.Value;
        return Ok<Statement>(new CreateDatabaseStatement(name.Value, ifNotExists.Value, comment, options, position), input, tail.Remainder);
    }

    /// <summary>[COMMENT '...'] [WITH (...)].</summary>
    private static TokenListParserResult<SqlToken, (string?, NodeList<Property>)> CommentAndOptions(TokenList<SqlToken> input)
    {
        var rest = input;
        string? comment = null;
        if (NextIsWord(rest, "COMMENT"))
        {
            var c = Comment(rest);
            if (!c.HasValue)
                return Fail<string, (string?, NodeList<Property>)>(c);
            comment = c.Value;
            rest = c.Remainder;
        }
        NodeList<Property> options = [];
        if (NextIsWord(rest, "WITH"))
        {
            var o = OptionGrammar.With(rest);
            if (!o.HasValue)
                return Fail<NodeList<Property>, (string?, NodeList<Property>)>(o);
            options = o.Value;
            rest = o.Remainder;
        }
        return Ok<(string?, NodeList<Property>)>((comment, options), input, rest);
    }

    private static TokenListParserResult<SqlToken, Statement> CreateView(TokenList<SqlToken> input, TokenList<SqlToken> rest, bool temporary, SourcePosition position)
    {
        var ifNotExists = IfNotExists(rest);
        if (!ifNotExists.HasValue)
            return Fail<bool, Statement>(ifNotExists);
        var name = DottedName(ifNotExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        rest = name.Remainder;
        NodeList<Identifier> columns = [];
        if (NextIs(rest, SqlToken.LeftParen))
        {
            var list = Parenthesized(Name)(rest);
            if (!list.HasValue)
                return Fail<NodeList<Identifier>, Statement>(list);
            columns = list.Value;
            rest = list.Remainder;
        }
        string? comment = null;
        if (NextIsWord(rest, "COMMENT"))
        {
            var c = Comment(rest);
            if (!c.HasValue)
                return Fail<string, Statement>(c);
            comment = c.Value;
            rest = c.Remainder;
        }
        var @as = Keyword("AS")(rest);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, Statement>(@as);
        var query = QueryGrammar.Query(@as.Remainder);
        if (!query.HasValue)
            return Fail<Query, Statement>(query);
        return Ok<Statement>(new CreateViewStatement(name.Value, temporary, ifNotExists.Value, columns, comment, query.Value, position), input, query.Remainder);
    }

    /// <summary>DROP CATALOG | DATABASE | [TEMPORARY] TABLE | [TEMPORARY] VIEW.</summary>
    public static TokenListParserResult<SqlToken, Statement> Drop(TokenList<SqlToken> input)
    {
        Peek(input, out var drop);
        var position = Pos(drop);
        var rest = Skip(input);
        var temporary = NextIsWord(rest, "TEMPORARY");
        if (temporary)
            rest = Skip(rest);
        Peek(rest, out var kind);
        if (DropFunctionOrSequence(input, rest, temporary, position) is { } function)
            return function;
        if (!temporary && IsWord(kind, "INDEX"))
            return DropIndex(input, Skip(rest), position);
        var isTable = IsWord(kind, "TABLE");
        var isView = IsWord(kind, "VIEW");
        var isCatalog = !temporary && IsWord(kind, "CATALOG");
        var isDatabase = !temporary && (IsWord(kind, "DATABASE") || IsWord(kind, "SCHEMA"));
        if (!isTable && !isView && !isCatalog && !isDatabase)
        {
            return temporary
                ? Expected<Statement>(rest, "TABLE", "VIEW")
                : Expected<Statement>(rest, "TABLE", "VIEW", "DATABASE", "CATALOG", "TEMPORARY", "INDEX");
        }
        var ifExists = IfExists(Skip(rest));
        if (!ifExists.HasValue)
            return Fail<bool, Statement>(ifExists);
        if (isCatalog)
        {
            var catalog = Name(ifExists.Remainder);
            return catalog.HasValue
                ? Ok<Statement>(new DropCatalogStatement(catalog.Value, ifExists.Value, position), input, catalog.Remainder)
                : Fail<Identifier, Statement>(catalog);
        }
        var name = DottedName(ifExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        rest = name.Remainder;
        if (isDatabase)
        {
            var cascade = false;
            if (NextIsWord(rest, "CASCADE"))
            {
                cascade = true;
                rest = Skip(rest);
            }
            else if (NextIsWord(rest, "RESTRICT"))
            {
                rest = Skip(rest);
            }
            return Ok<Statement>(new DropDatabaseStatement(name.Value, ifExists.Value, cascade, position), input, rest);
        }
        Statement statement = isTable
            ? new DropTableStatement(name.Value, temporary, ifExists.Value, position)
            : new DropViewStatement(name.Value, temporary, ifExists.Value, position);
        return Ok(statement, input, rest);
    }

    /// <summary>USE CATALOG name, or USE [catalog.]database.</summary>
    public static TokenListParserResult<SqlToken, Statement> Use(TokenList<SqlToken> input)
    {
        Peek(input, out var use);
        var rest = Skip(input);
        if (NextIsWord(rest, "CATALOG") && PeekAt(rest, 1, out var t) && t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier)
        {
            var catalog = Name(Skip(rest));
            return Ok<Statement>(new UseCatalogStatement(catalog.Value, Pos(use)), input, catalog.Remainder);
        }
        var name = DottedName(rest);
        return name.HasValue
            ? Ok<Statement>(new UseDatabaseStatement(name.Value, Pos(use)), input, name.Remainder)
            : IsPartial(name, rest) ? Fail<QualifiedName, Statement>(name) : Expected<Statement>(rest, "CATALOG", "database name");
    }

    /// <summary>
    /// CREATE RECURSIVE VIEW name (columns) AS query (PostgreSQL, DuckDB) is CREATE VIEW name (columns) AS
    /// WITH RECURSIVE name (columns) AS (query) SELECT * FROM name.
    /// </summary>
    private static TokenListParserResult<SqlToken, Statement> CreateRecursiveView(TokenList<SqlToken> input, TokenList<SqlToken> rest, SourcePosition position)
    {
        var parsed = CreateView(input, rest, temporary: false, position);
        if (!parsed.HasValue || parsed.Value is not CreateViewStatement view)
            return parsed;
        var p = view.Query.Position;
        var cte = new CommonTableExpression(view.Name.Name, view.Columns, view.Query, view.Name.Position) { Recursive = true };
        var body = new SelectBody([], false, [new SelectItem(new StarExpression([], p), null, p)],
            [new NamedTable(new QualifiedName([view.Name.Name], p), [], null, null, p)], null, [], null, [], null, p);
        return Ok<Statement>(view with { Query = new Query([cte], body, [], null, null, p) }, input, parsed.Remainder);
    }
}
