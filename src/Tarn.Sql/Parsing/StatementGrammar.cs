using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>Statements, dispatched on their first keyword; each result carries its source text.</summary>
internal static class StatementGrammar
{
    public static TokenListParserResult<SqlToken, Statement> Statement(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var t))
            return Expected<Statement>(input, "statement");
        TokenListParserResult<SqlToken, Statement> result;
        if (t.Kind == SqlToken.LeftParen)
        {
            result = ParseQueryStatement(input);
        }
        else if (t.Kind is SqlToken.Identifier or SqlToken.Keyword)
        {
            switch (t.ToStringValue().ToUpperInvariant())
            {
                case "CREATE" or "DROP" or "SHOW" when SubscriptionGrammar.Matches(input):
                    result = SubscriptionGrammar.Parse(input);
                    break;
                case "GRANT" or "REVOKE" or "CREATE" or "ALTER" or "DROP" or "SHOW" when SecurityGrammar.Matches(input):
                    result = SecurityGrammar.Parse(input);
                    break;
                case "WITH":
                    result = DmlGrammar.WithDml(input) ?? ParseQueryStatement(input);
                    break;
                case "SELECT":
                case "VALUES":
                case "FROM": // DuckDB's FROM-first query: FROM t [WHERE ...] is SELECT * FROM t ...
                    result = ParseQueryStatement(input);
                    break;
                case "CREATE":
                    result = DdlGrammar.Create(input);
                    break;
                case "DROP":
                    result = DdlGrammar.Drop(input);
                    break;
                case "ALTER":
                    result = DdlGrammar.Alter(input);
                    break;
                case "USE":
                    result = DdlGrammar.Use(input);
                    break;
                case "SHOW":
                    result = ShowGrammar.Show(input);
                    break;
                case "DESCRIBE":
                case "DESC":
                    result = QueryGrammar.StartsDescribeQuery(input) ? QueryGrammar.DescribeStatement(input) : ShowGrammar.Describe(input);
                    break;
                case "SUMMARIZE": // DuckDB
                    result = QueryGrammar.DescribeStatement(input);
                    break;
                case "EXPLAIN":
                    result = Explain(input);
                    break;
                case "INSERT":
                    result = DmlGrammar.Insert(input);
                    break;
                case "UPDATE":
                    result = DmlGrammar.Update(input);
                    break;
                case "DELETE":
                    result = DmlGrammar.Delete(input);
                    break;
                case "TRUNCATE":
                    result = DmlGrammar.Truncate(input);
                    break;
                case "BEGIN" when !NextIsWord(Skip(input), "STATEMENT"):
                case "START":
                case "COMMIT":
                case "ROLLBACK":
                case "ABORT":
                    result = DmlGrammar.Transaction(input);
                    break;
                case "EXECUTE":
                case "STATEMENT":
                case "BEGIN":
                    result = StatementSet(input);
                    break;
                case "SET":
                    result = SessionGrammar.Set(input);
                    break;
                case "RESET":
                    result = SessionGrammar.Reset(input);
                    break;
                case "STOP":
                    result = SessionGrammar.StopJob(input);
                    break;
                default:
                    return Expected<Statement>(input, "statement");
            }
        }
        else
        {
            return Expected<Statement>(input, "statement");
        }
        return result.HasValue ? Ok(result.Value with { Text = SourceText(input, result.Remainder) }, input, result.Remainder) : result;
    }

    /// <summary>The source text from the first token of <paramref name="from"/> to the last token before <paramref name="to"/>.</summary>
    private static string SourceText(TokenList<SqlToken> from, TokenList<SqlToken> to)
    {
        var tokens = ParseSession.Current.Tokens;
        var first = tokens[from.Position].Span;
        var last = tokens[to.Position - 1].Span;
        var start = first.Position.Absolute;
        return first.Source!.Substring(start, last.Position.Absolute + last.Length - start);
    }

    private static TokenListParserResult<SqlToken, Statement> ParseQueryStatement(TokenList<SqlToken> input)
    {
        var query = QueryGrammar.Query(input);
        return query.HasValue
            ? Ok<Statement>(new QueryStatement(query.Value, query.Value.Position), input, query.Remainder)
            : Fail<Query, Statement>(query);
    }

    /// <summary>EXPLAIN [PLAN FOR | detail, ...] query | insert | statement set.</summary>
    private static TokenListParserResult<SqlToken, Statement> Explain(TokenList<SqlToken> input)
    {
        Peek(input, out var explain);
        var rest = Skip(input);
        var details = new List<ExplainDetail>();
        if (NextAreWords(rest, "PLAN", "FOR"))
        {
            rest = Skip(rest, 2);
        }
        else
        {
            while (Peek(rest, out var t) && ExplainDetailOf(t) is { } detail)
            {
                details.Add(detail);
                rest = Skip(rest);
                if (!NextIs(rest, SqlToken.Comma))
                    break;
                rest = Skip(rest);
            }
        }
        var statement = Statement(rest);
        if (!statement.HasValue)
            return statement;
        if (statement.Value is not (QueryStatement or InsertStatement or StatementSetStatement))
            throw SyntaxErrors.At(statement.Value.Position, "EXPLAIN accepts a query, an INSERT or a statement set");
        return Ok<Statement>(new ExplainStatement(NodeList.Wrap(details.ToArray()), statement.Value, Pos(explain)), input, statement.Remainder);
    }

    private static ExplainDetail? ExplainDetailOf(Token<SqlToken> t) =>
        IsWord(t, "ESTIMATED_COST") ? ExplainDetail.EstimatedCost
        : IsWord(t, "CHANGELOG_MODE") ? ExplainDetail.ChangelogMode
        : IsWord(t, "PLAN_ADVICE") ? ExplainDetail.PlanAdvice
        : IsWord(t, "JSON_EXECUTION_PLAN") ? ExplainDetail.JsonExecutionPlan
        : null;

    /// <summary>
    /// [EXECUTE] STATEMENT SET BEGIN insert; ... END, or the SQL client's BEGIN STATEMENT SET; insert; ... END.
    /// </summary>
    private static TokenListParserResult<SqlToken, Statement> StatementSet(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        TokenListParserResult<SqlToken, Token<SqlToken>> header;
        if (IsWord(first, "BEGIN"))
        {
            header = Keywords("BEGIN", "STATEMENT", "SET")(input);
            if (header.HasValue)
                header = Symbol(SqlToken.Semicolon)(header.Remainder);
        }
        else
        {
            var rest = IsWord(first, "EXECUTE") ? Skip(input) : input;
            header = Keywords("STATEMENT", "SET", "BEGIN")(rest);
        }
        if (!header.HasValue)
            return Fail<Token<SqlToken>, Statement>(header);

        var inserts = new List<InsertStatement>();
        var at = header.Remainder;
        while (!NextIsWord(at, "END"))
        {
            if (!NextIsWord(at, "INSERT"))
                return Expected<Statement>(at, inserts.Count == 0 ? ["INSERT"] : ["INSERT", "END"]);
            var insert = Statement(at);
            if (!insert.HasValue)
                return insert;
            inserts.Add((InsertStatement)insert.Value);
            at = insert.Remainder;
            if (NextIs(at, SqlToken.Semicolon))
                at = Skip(at);
            else if (!NextIsWord(at, "END"))
                return Expected<Statement>(at, "';'", "END");
        }
        if (inserts.Count == 0)
            return Expected<Statement>(at, "INSERT");
        return Ok<Statement>(new StatementSetStatement(NodeList.Wrap(inserts.ToArray()), Pos(first)), input, Skip(at));
    }
}
