using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>The pieces of a query that UPDATE ... FROM, DELETE ... USING and WITH ... INSERT | UPDATE | DELETE reuse.</summary>
internal static partial class QueryGrammar
{
    /// <summary>FROM items separated by commas (each may contain joins).</summary>
    public static TokenListParserResult<SqlToken, NodeList<TableReference>> TableList(TokenList<SqlToken> input) =>
        CommaList(TableReferenceParser)(input);

    /// <summary>WITH cte, ...: the common table expressions before a statement.</summary>
    public static TokenListParserResult<SqlToken, NodeList<CommonTableExpression>> WithClause(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "WITH"))
            return Expected<NodeList<CommonTableExpression>>(input, "WITH");
        return CommaList(CteParser)(Skip(input));
    }
}
