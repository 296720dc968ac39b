using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>INSERT, UPDATE and DELETE.</summary>
internal static class DmlGrammar
{
    /// <summary>INSERT INTO | OVERWRITE [TABLE] name [hints] [PARTITION (...)] [(columns)] query.</summary>
    public static TokenListParserResult<SqlToken, Statement> Insert(TokenList<SqlToken> input)
    {
        Peek(input, out var insert);
        var rest = Skip(input);
        var overwrite = NextIsWord(rest, "OVERWRITE");
        if (!overwrite && !NextIsWord(rest, "INTO"))
            return Expected<Statement>(rest, "INTO", "OVERWRITE");
        rest = Skip(rest);
        if (NextIsWord(rest, "TABLE"))
            rest = Skip(rest);
        var table = DottedName(rest);
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        rest = table.Remainder;

        NodeList<Hint> hints = [];
        if (NextIs(rest, SqlToken.HintStart))
        {
            var h = HintGrammar.Hints(rest);
            if (!h.HasValue)
                return Fail<NodeList<Hint>, Statement>(h);
            hints = h.Value;
            rest = h.Remainder;
        }

        NodeList<PartitionValue> partition = [];
        if (NextIsWord(rest, "PARTITION"))
        {
            var p = Parenthesized(PartitionValueParser)(Skip(rest));
            if (!p.HasValue)
                return Fail<NodeList<PartitionValue>, Statement>(p);
            partition = p.Value;
            rest = p.Remainder;
        }

        NodeList<Identifier> columns = [];
        if (NextIs(rest, SqlToken.LeftParen) && !ParenthesesOpenQuery(rest))
        {
            var c = Parenthesized(Name)(rest);
            if (!c.HasValue)
                return Fail<NodeList<Identifier>, Statement>(c);
            columns = c.Value;
            rest = c.Remainder;
        }

        if (NextAreWords(rest, "DEFAULT", "VALUES"))
        {
            Peek(rest, out var at);
            var placeholder = new Query([], new ValuesBody([new ValuesRow([], Pos(at))], Pos(at)), [], null, null, Pos(at));
            return Ok<Statement>(new InsertStatement(table.Value, overwrite, hints, partition, columns, placeholder, Pos(insert), DefaultValues: true), input, Skip(rest, 2));
        }

        var query = QueryGrammar.Query(rest);
        if (!query.HasValue)
            return Fail<Query, Statement>(query);
        return Ok<Statement>(new InsertStatement(table.Value, overwrite, hints, partition, columns, query.Value, Pos(insert)), input, query.Remainder);
    }

    private static readonly TokenListParser<SqlToken, PartitionValue> PartitionValueParser = input =>
    {
        var column = Name(input);
        if (!column.HasValue)
            return Fail<Identifier, PartitionValue>(column);
        var equal = EqualSign(column.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, PartitionValue>(equal);
        var value = ExpressionGrammar.Additive(equal.Remainder);
        if (!value.HasValue)
            return Fail<Expression, PartitionValue>(value);
        if (value.Value is not (IntegerLiteral or DecimalLiteral or DoubleLiteral or StringLiteral or BooleanLiteral or NullLiteral or DateTimeLiteral))
            throw SyntaxErrors.At(value.Value.Position, "a static partition value must be a literal");
        return Ok(new PartitionValue(column.Value, value.Value, column.Value.Position), input, value.Remainder);
    };

    /// <summary>UPDATE name [[AS] alias] SET assignment, ... [FROM tables] [WHERE condition].</summary>
    public static TokenListParserResult<SqlToken, Statement> Update(TokenList<SqlToken> input)
    {
        Peek(input, out var update);
        var table = DottedName(Skip(input));
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        var alias = TargetAlias(table.Remainder, "SET");
        if (!alias.HasValue)
            return Fail<Identifier?, Statement>(alias);
        var set = Keyword("SET")(alias.Remainder);
        if (!set.HasValue)
            return Fail<Token<SqlToken>, Statement>(set);
        var assignments = CommaList(AssignmentParser)(set.Remainder);
        if (!assignments.HasValue)
            return Fail<NodeList<NodeList<Assignment>>, Statement>(assignments);
        var rest = assignments.Remainder;
        NodeList<TableReference>? from = null;
        if (NextIsWord(rest, "FROM"))
        {
            var tables = QueryGrammar.TableList(Skip(rest));
            if (!tables.HasValue)
                return Fail<NodeList<TableReference>, Statement>(tables);
            from = tables.Value;
            rest = tables.Remainder;
        }
        var where = Where(rest);
        NodeList<Assignment> flat = [.. assignments.Value.SelectMany(a => a)];
        return where.HasValue
            ? Ok<Statement>(new UpdateStatement(table.Value, flat, where.Value, Pos(update), alias.Value, from), input, where.Remainder)
            : Fail<Expression?, Statement>(where);
    }

    /// <summary>The optional alias of an UPDATE or DELETE target: [AS] name, where a bare name must not be <paramref name="next"/>.</summary>
    private static TokenListParserResult<SqlToken, Identifier?> TargetAlias(TokenList<SqlToken> input, params string[] next)
    {
        if (NextIsWord(input, "AS"))
        {
            var name = Name(Skip(input));
            return name.HasValue ? Ok<Identifier?>(name.Value, input, name.Remainder) : Fail<Identifier, Identifier?>(name);
        }
        if (Peek(input, out var t) && t.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier
            && (t.Kind == SqlToken.QuotedIdentifier || !next.Any(w => IsWord(t, w))))
        {
            var name = Name(input);
            return name.HasValue ? Ok<Identifier?>(name.Value, input, name.Remainder) : Fail<Identifier, Identifier?>(name);
        }
        return Ok<Identifier?>(null, input, input);
    }

    /// <summary>
    /// column = expression, or (c1, c2, ...) = (e1, e2, ...) which becomes one assignment per column; a single
    /// expression on the right of a column list is assigned to every column (DuckDB).
    /// </summary>
    private static readonly TokenListParser<SqlToken, NodeList<Assignment>> AssignmentParser = input =>
    {
        if (NextIs(input, SqlToken.LeftParen))
        {
            var columns = Parenthesized(Name)(input);
            if (!columns.HasValue)
                return Fail<NodeList<Identifier>, NodeList<Assignment>>(columns);
            var eq = EqualSign(columns.Remainder);
            if (!eq.HasValue)
                return Fail<Token<SqlToken>, NodeList<Assignment>>(eq);
            var values = ExpressionGrammar.Expression(eq.Remainder);
            if (!values.HasValue)
                return Fail<Expression, NodeList<Assignment>>(values);
            var list = new List<Assignment>();
            if (values.Value is RowConstructor row)
            {
                if (row.Fields.Count != columns.Value.Count)
                    throw SyntaxErrors.At(row.Position, $"{columns.Value.Count} columns are assigned {row.Fields.Count} values");
                for (var i = 0; i < row.Fields.Count; i++)
                    list.Add(new Assignment(columns.Value[i], row.Fields[i], columns.Value[i].Position));
            }
            else if (values.Value is ScalarSubquery && columns.Value.Count > 1)
            {
                throw SyntaxErrors.At(values.Value.Position, "assigning a multi-column subquery to a column list is not supported; assign each column its own subquery");
            }
            else
            {
                foreach (var c in columns.Value) list.Add(new Assignment(c, values.Value, c.Position));
            }
            return Ok<NodeList<Assignment>>([.. list], input, values.Remainder);
        }
        var column = Name(input);
        if (!column.HasValue)
            return Fail<Identifier, NodeList<Assignment>>(column);
        var equal = EqualSign(column.Remainder);
        if (!equal.HasValue)
            return Fail<Token<SqlToken>, NodeList<Assignment>>(equal);
        var value = ExpressionGrammar.Expression(equal.Remainder);
        return value.HasValue
            ? Ok<NodeList<Assignment>>([new Assignment(column.Value, value.Value, column.Value.Position)], input, value.Remainder)
            : Fail<Expression, NodeList<Assignment>>(value);
    };

    /// <summary>DELETE FROM name [[AS] alias] [USING tables] [WHERE condition].</summary>
    public static TokenListParserResult<SqlToken, Statement> Delete(TokenList<SqlToken> input)
    {
        Peek(input, out var delete);
        var from = Keyword("FROM")(Skip(input));
        if (!from.HasValue)
            return Fail<Token<SqlToken>, Statement>(from);
        var table = DottedName(from.Remainder);
        if (!table.HasValue)
            return Fail<QualifiedName, Statement>(table);
        var alias = TargetAlias(table.Remainder, "USING", "WHERE");
        if (!alias.HasValue)
            return Fail<Identifier?, Statement>(alias);
        var rest = alias.Remainder;
        NodeList<TableReference>? @using = null;
        if (NextIsWord(rest, "USING"))
        {
            var tables = QueryGrammar.TableList(Skip(rest));
            if (!tables.HasValue)
                return Fail<NodeList<TableReference>, Statement>(tables);
            @using = tables.Value;
            rest = tables.Remainder;
        }
        var where = Where(rest);
        return where.HasValue
            ? Ok<Statement>(new DeleteStatement(table.Value, where.Value, Pos(delete), alias.Value, @using), input, where.Remainder)
            : Fail<Expression?, Statement>(where);
    }

    /// <summary>TRUNCATE [TABLE] name.</summary>
    public static TokenListParserResult<SqlToken, Statement> Truncate(TokenList<SqlToken> input)
    {
        Peek(input, out var truncate);
        var rest = Skip(input);
        if (NextIsWord(rest, "TABLE"))
            rest = Skip(rest);
        var table = DottedName(rest);
        return table.HasValue
            ? Ok<Statement>(new TruncateStatement(table.Value, Pos(truncate)), input, table.Remainder)
            : Fail<QualifiedName, Statement>(table);
    }

    /// <summary>BEGIN [TRANSACTION | WORK], START TRANSACTION, COMMIT | ROLLBACK | ABORT [TRANSACTION | WORK].</summary>
    public static TokenListParserResult<SqlToken, Statement> Transaction(TokenList<SqlToken> input)
    {
        Peek(input, out var first);
        var word = first.ToStringValue().ToUpperInvariant();
        var rest = Skip(input);
        if (word == "START")
        {
            var transaction = Keyword("TRANSACTION")(rest);
            if (!transaction.HasValue)
                return Fail<Token<SqlToken>, Statement>(transaction);
            rest = transaction.Remainder;
        }
        else if (NextIsWord(rest, "TRANSACTION") || NextIsWord(rest, "WORK"))
            rest = Skip(rest);
        var action = word switch
        {
            "BEGIN" or "START" => TransactionAction.Begin,
            "COMMIT" => TransactionAction.Commit,
            _ => TransactionAction.Rollback,
        };
        return Ok<Statement>(new TransactionStatement(action, Pos(first)), input, rest);
    }

    /// <summary>WITH ctes followed by INSERT, UPDATE or DELETE (PostgreSQL): the CTEs are visible to the whole statement.</summary>
    public static TokenListParserResult<SqlToken, Statement>? WithDml(TokenList<SqlToken> input)
    {
        var ctes = QueryGrammar.WithClause(input);
        if (!ctes.HasValue || !Peek(ctes.Remainder, out var t))
            return null;
        var word = t.ToStringValue().ToUpperInvariant();
        if (word is not ("INSERT" or "UPDATE" or "DELETE"))
            return null;
        var statement = word switch
        {
            "INSERT" => Insert(ctes.Remainder),
            "UPDATE" => Update(ctes.Remainder),
            _ => Delete(ctes.Remainder),
        };
        if (!statement.HasValue)
            return statement;
        Statement attached = statement.Value switch
        {
            InsertStatement i => i with { Source = i.Source with { With = [.. ctes.Value, .. i.Source.With] } },
            UpdateStatement u => u with { With = ctes.Value },
            DeleteStatement d => d with { With = ctes.Value },
            _ => statement.Value,
        };
        return Ok(attached, input, statement.Remainder);
    }

    private static TokenListParserResult<SqlToken, Expression?> Where(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "WHERE"))
            return Ok<Expression?>(null, input, input);
        var condition = ExpressionGrammar.Expression(Skip(input));
        return condition.HasValue ? Ok<Expression?>(condition.Value, input, condition.Remainder) : Fail<Expression, Expression?>(condition);
    }
}
