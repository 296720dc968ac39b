using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>CREATE [UNIQUE] INDEX and DROP INDEX (SQLite / DuckDB / PostgreSQL spellings).</summary>
internal static partial class DdlGrammar
{
    /// <summary><paramref name="rest"/> is after CREATE [UNIQUE] INDEX.</summary>
    private static TokenListParserResult<SqlToken, Statement> CreateIndex(TokenList<SqlToken> input, TokenList<SqlToken> rest, bool unique, SourcePosition position)
    {
        var ifNotExists = IfNotExists(rest);
        if (!ifNotExists.HasValue)
            return Fail<bool, Statement>(ifNotExists);
        var name = Name(ifNotExists.Remainder);
        if (!name.HasValue)
            return Fail<Identifier, Statement>(name);
        var on = Keyword("ON")(name.Remainder);
        if (!on.HasValue)
            return Fail<Token<SqlToken>, Statement>(on);
        var table = DottedName(on.Remainder);
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        var columns = Parenthesized(IndexColumn)(table.Remainder);
        if (!columns.HasValue)
            return Fail<NodeList<Identifier>, Statement>(columns);
        return Ok<Statement>(new CreateIndexStatement(name.Value, table.Value, columns.Value, unique, ifNotExists.Value, position), input, columns.Remainder);
    }

    private static readonly Superpower.TokenListParser<SqlToken, Identifier> IndexColumn = IndexColumnParser;

    /// <summary>column [ASC | DESC]: the direction only matters to engines with ordered indexes.</summary>
    private static TokenListParserResult<SqlToken, Identifier> IndexColumnParser(TokenList<SqlToken> input)
    {
        var name = Name(input);
        if (!name.HasValue)
            return name;
        var rest = name.Remainder;
        if (NextIsWord(rest, "ASC") || NextIsWord(rest, "DESC"))
            rest = Skip(rest);
        return Ok(name.Value, input, rest);
    }

    /// <summary><paramref name="rest"/> is after DROP INDEX.</summary>
    private static TokenListParserResult<SqlToken, Statement> DropIndex(TokenList<SqlToken> input, TokenList<SqlToken> rest, SourcePosition position)
    {
        var ifExists = IfExists(rest);
        if (!ifExists.HasValue)
            return Fail<bool, Statement>(ifExists);
        var name = DottedName(ifExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        return Ok<Statement>(new DropIndexStatement(name.Value, ifExists.Value, position), input, name.Remainder);
    }
}
