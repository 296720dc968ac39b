using Tarn.Sql.Ast;
using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class ExpressionTests
{
    [Fact]
    public void Numeric_literals()
    {
        Assert.Equal(Int(42), Expr("42"));
        Assert.Equal(Dec("1.50"), Expr("1.50"));
        Assert.Equal(Dec(".5"), Expr(".5"));
        Assert.Equal(new DoubleLiteral(1000, P), Expr("1e3"));
        Assert.Equal(new DoubleLiteral(0.015, P), Expr("1.5E-2"));
        Assert.Equal(Dec("123456789012345678901234567890"), Expr("123456789012345678901234567890"));
        Assert.Equal(Int(long.MaxValue), Expr("9223372036854775807"));
        Assert.Equal(Dec("9223372036854775808"), Expr("9223372036854775808"));
    }

    [Fact]
    public void Decimal_literal_precision_and_scale()
    {
        var d = Assert.IsType<DecimalLiteral>(Expr("-001.250"));
        Assert.Equal((4, 3), (d.Precision, d.Scale));
        Assert.Equal((30, 0), (((DecimalLiteral)Expr("123456789012345678901234567890")).Precision, 0));
        Assert.Equal((1, 1), (((DecimalLiteral)Expr(".5")).Precision, ((DecimalLiteral)Expr(".5")).Scale));
    }

    [Fact]
    public void Minus_before_a_number_folds_into_the_literal()
    {
        Assert.Equal(Int(-5), Expr("-5"));
        Assert.Equal(Int(-5), Expr("- 5"));
        Assert.Equal(Int(long.MinValue), Expr("-9223372036854775808"));
        Assert.Equal(Dec("-1.5"), Expr("-1.5"));
        Assert.Equal(new DoubleLiteral(-1000, P), Expr("-1e3"));
        Assert.Equal(Neg(Int(5)), Expr("-(5)"));
        Assert.Equal(Neg(Int(-5)), Expr("- -5"));
        Assert.Equal(new UnaryExpression(UnaryOperator.Plus, Int(5), P), Expr("+5"));
        Assert.Equal(Neg(Col("a")), Expr("-a"));
        // The cast binds tighter than the sign, so the minus is not folded here.
        Assert.Equal(Neg(new CastExpression(Int(5), DataType.Int, false, P)), Expr("-5::int"));
        Assert.Equal(Bin(BinaryOperator.Subtract, Col("a"), Int(-1)), Expr("a - -1"));
    }

    [Fact]
    public void Other_literals()
    {
        Assert.Equal(Str("it's"), Expr("'it''s'"));
        Assert.Equal(Str("a\nb"), Expr("'a\nb'"));
        Assert.Equal(new BooleanLiteral(true, P), Expr("TRUE"));
        Assert.Equal(new BooleanLiteral(false, P), Expr("false"));
        Assert.Equal(new BooleanLiteral(null, P), Expr("unknown"));
        Assert.Equal(new NullLiteral(P), Expr("NULL"));
        var binary = Assert.IsType<BinaryLiteral>(Expr("x'0aFF'"));
        Assert.Equal("0AFF", binary.Hex);
        Assert.Equal([0x0A, 0xFF], binary.ToBytes());
        Assert.Equal(new DateTimeLiteral(DateTimeLiteralKind.Date, "2024-01-01", P), Expr("DATE '2024-01-01'"));
        Assert.Equal(new DateTimeLiteral(DateTimeLiteralKind.Time, "10:00:00", P), Expr("time '10:00:00'"));
        Assert.Equal(new DateTimeLiteral(DateTimeLiteralKind.Timestamp, "2024-01-01 10:00:00.123", P), Expr("TIMESTAMP '2024-01-01 10:00:00.123'"));
    }

    [Fact]
    public void Date_and_time_stay_usable_as_column_names()
    {
        Assert.Equal(Eq(Col("date"), Col("time")), Expr("date = time"));
        Assert.Equal(Call("date", Str("x")), Expr("date('x')"));
        Assert.Equal(Col("row"), Expr("row"));
        Assert.Equal(new SubscriptExpression(Col("array"), Int(1), P), Expr("(array)[1]"));
    }

    [Theory]
    [InlineData("INTERVAL '5' SECOND", "5", false, TimeUnit.Second, null, null, null)]
    [InlineData("interval '10' minutes", "10", false, TimeUnit.Minute, null, null, null)]
    [InlineData("INTERVAL '3' DAY(3)", "3", false, TimeUnit.Day, null, 3, null)]
    [InlineData("INTERVAL '1.5' SECOND(2, 3)", "1.5", false, TimeUnit.Second, null, 2, 3)]
    [InlineData("INTERVAL '1 02:03' DAY TO MINUTE", "1 02:03", false, TimeUnit.Day, TimeUnit.Minute, null, null)]
    [InlineData("INTERVAL '2-3' YEAR TO MONTH", "2-3", false, TimeUnit.Year, TimeUnit.Month, null, null)]
    [InlineData("INTERVAL -'5' HOUR", "5", true, TimeUnit.Hour, null, null, null)]
    [InlineData("INTERVAL '1 02:03:04.5' DAY(2) TO SECOND(3)", "1 02:03:04.5", false, TimeUnit.Day, TimeUnit.Second, 2, 3)]
    public void Interval_literals(string sql, string value, bool negative, TimeUnit start, TimeUnit? end, int? precision, int? fractional) =>
        Assert.Equal(new IntervalLiteral(value, negative, new IntervalQualifier(start, end, precision, fractional), P), Expr(sql));

    [Theory]
    [InlineData("INTERVAL '1' MONTH TO DAY", 1, 23, "invalid interval qualifier MONTH TO DAY")]
    [InlineData("INTERVAL '1' SECOND TO MINUTE", 1, 24, "invalid interval qualifier")]
    [InlineData("INTERVAL '1' DAY(2, 3)", 1, 14, "too many precisions")]
    [InlineData("INTERVAL '1' WEEK", 1, 14, "expected interval unit")]
    [InlineData("INTERVAL 5 DAY", 1, 10, "expected string literal")]
    public void Invalid_intervals(string sql, int line, int column, string fragment) =>
        SyntaxError(() => Expr(sql), line, column, fragment);

    [Fact]
    public void Parameters_number_question_marks_in_order()
    {
        var select = Select("select ?, $3, :name, @other from t where a = ? and b = ?");
        var where = (BinaryExpression)select.Where!;
        Assert.Equal(new ParameterExpression(ParameterStyle.QuestionMark, 1, null, P), select.Items[0].Expression);
        Assert.Equal(new ParameterExpression(ParameterStyle.Dollar, 3, null, P), select.Items[1].Expression);
        Assert.Equal(new ParameterExpression(ParameterStyle.Colon, 0, "name", P), select.Items[2].Expression);
        Assert.Equal(new ParameterExpression(ParameterStyle.At, 0, "other", P), select.Items[3].Expression);
        Assert.Equal(new ParameterExpression(ParameterStyle.QuestionMark, 2, null, P), ((BinaryExpression)where.Left).Right);
        Assert.Equal(new ParameterExpression(ParameterStyle.QuestionMark, 3, null, P), ((BinaryExpression)where.Right).Right);
    }

    [Fact]
    public void Question_marks_restart_in_each_statement_of_a_script()
    {
        var statements = SqlParser.ParseScript("select ?, ?; select ?");
        var second = Assert.IsType<SelectBody>(((QueryStatement)statements[1]).Query.Body);
        Assert.Equal(new ParameterExpression(ParameterStyle.QuestionMark, 1, null, P), second.Items[0].Expression);
    }

    [Theory]
    [InlineData("select $0")]
    [InlineData("select $99999999999")]
    public void Invalid_parameter_numbers(string sql) => StatementError(sql, 1, 8, "invalid parameter number");

    [Fact]
    public void Arithmetic_precedence_and_associativity()
    {
        Assert.Equal(Add(Int(1), Mul(Int(2), Int(3))), Expr("1 + 2 * 3"));
        Assert.Equal(Mul(Add(Int(1), Int(2)), Int(3)), Expr("(1 + 2) * 3"));
        Assert.Equal(Bin(BinaryOperator.Subtract, Bin(BinaryOperator.Subtract, Col("a"), Col("b")), Col("c")), Expr("a - b - c"));
        Assert.Equal(Bin(BinaryOperator.Modulo, Bin(BinaryOperator.Divide, Col("a"), Col("b")), Col("c")), Expr("a / b % c"));
        Assert.Equal(Bin(BinaryOperator.Concat, Add(Col("a"), Col("b")), Col("c")), Expr("a + b || c"));
        Assert.Equal(Add(Col("a"), Mul(Neg(Col("b")), Col("c"))), Expr("a + -b * c"));
    }

    [Fact]
    public void Boolean_precedence_or_and_not_comparison()
    {
        Assert.Equal(Or(Col("a"), And(Col("b"), Col("c"))), Expr("a OR b AND c"));
        Assert.Equal(And(Not(Col("a")), Col("b")), Expr("NOT a AND b"));
        Assert.Equal(Not(Eq(Col("a"), Col("b"))), Expr("NOT a = b"));
        Assert.Equal(Not(Not(Col("a"))), Expr("NOT NOT a"));
        Assert.Equal(Eq(Add(Col("a"), Int(1)), Mul(Col("b"), Int(2))), Expr("a + 1 = b * 2"));
        Assert.Equal(Or(And(Eq(Col("a"), Int(1)), Bin(BinaryOperator.Less, Col("b"), Int(2))), Bin(BinaryOperator.GreaterOrEqual, Col("c"), Int(3))),
            Expr("a = 1 AND b < 2 OR c >= 3"));
    }

    [Fact]
    public void Comparison_operators()
    {
        foreach (var (text, op) in new[] { ("=", BinaryOperator.Equal), ("<>", BinaryOperator.NotEqual), ("!=", BinaryOperator.NotEqual),
                     ("<", BinaryOperator.Less), ("<=", BinaryOperator.LessOrEqual), (">", BinaryOperator.Greater), (">=", BinaryOperator.GreaterOrEqual) })
            Assert.Equal(Bin(op, Col("a"), Col("b")), Expr($"a {text} b"));
    }

    [Fact]
    public void Is_predicates()
    {
        Assert.Equal(new IsExpression(Col("a"), IsTest.Null, false, P), Expr("a IS NULL"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.Null, true, P), Expr("a IS NOT NULL"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.True, false, P), Expr("a is true"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.False, true, P), Expr("a is not false"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.Unknown, false, P), Expr("a is unknown"));
        Assert.Equal(new IsDistinctFromExpression(Col("a"), Add(Col("b"), Int(1)), false, P), Expr("a IS DISTINCT FROM b + 1"));
        Assert.Equal(new IsDistinctFromExpression(Col("a"), Col("b"), true, P), Expr("a IS NOT DISTINCT FROM b"));
        // Predicates apply left to right at one level: (a = b) IS NULL.
        Assert.Equal(new IsExpression(Eq(Col("a"), Col("b")), IsTest.Null, false, P), Expr("a = b IS NULL"));
        Assert.Equal(Not(new IsExpression(Col("a"), IsTest.Null, false, P)), Expr("NOT a IS NULL"));
    }

    [Fact]
    public void Between_in_like_similar()
    {
        Assert.Equal(new BetweenExpression(Col("a"), Int(1), Add(Col("b"), Int(2)), false, false, P), Expr("a BETWEEN 1 AND b + 2"));
        Assert.Equal(new BetweenExpression(Col("a"), Int(1), Int(2), true, true, P), Expr("a NOT BETWEEN SYMMETRIC 1 AND 2"));
        Assert.Equal(new BetweenExpression(Col("a"), Int(1), Int(2), false, false, P), Expr("a BETWEEN ASYMMETRIC 1 AND 2"));
        Assert.Equal(And(new BetweenExpression(Col("a"), Int(1), Int(2), false, false, P), Col("c")), Expr("a BETWEEN 1 AND 2 AND c"));
        Assert.Equal(new InListExpression(Col("a"), [Int(1), Int(2), Str("x")], false, P), Expr("a IN (1, 2, 'x')"));
        Assert.Equal(new InListExpression(Col("a"), [Int(1)], true, P), Expr("a NOT IN (1)"));
        Assert.Equal(new LikeExpression(PatternKind.Like, Col("a"), Str("x%"), null, false, P), Expr("a LIKE 'x%'"));
        Assert.Equal(new LikeExpression(PatternKind.Like, Col("a"), Str("x!%"), Str("!"), true, P), Expr("a NOT LIKE 'x!%' ESCAPE '!'"));
        Assert.Equal(new LikeExpression(PatternKind.SimilarTo, Col("a"), Str("(a|b)+"), null, false, P), Expr("a SIMILAR TO '(a|b)+'"));
        Assert.Equal(new LikeExpression(PatternKind.SimilarTo, Col("a"), Str("x"), Str("\\"), true, P), Expr("a NOT SIMILAR TO 'x' ESCAPE '\\'"));
    }

    [Fact]
    public void Subqueries_in_expressions()
    {
        var inSubquery = Assert.IsType<InSubqueryExpression>(Expr("a IN (SELECT b FROM t)"));
        Assert.False(inSubquery.Negated);
        Assert.IsType<SelectBody>(inSubquery.Query.Body);
        Assert.True(Assert.IsType<InSubqueryExpression>(Expr("a NOT IN (VALUES 1, 2)")).Negated);
        Assert.IsType<ExistsExpression>(Expr("EXISTS (SELECT 1)"));
        Assert.IsType<UnaryExpression>(Expr("NOT EXISTS (SELECT 1)"));
        var scalar = Assert.IsType<ScalarSubquery>(Expr("(SELECT max(a) FROM t)"));
        Assert.IsType<SelectBody>(scalar.Query.Body);
        var quantified = Assert.IsType<QuantifiedComparisonExpression>(Expr("a >= ALL (SELECT b FROM t)"));
        Assert.Equal((BinaryOperator.GreaterOrEqual, Quantifier.All), (quantified.Operator, quantified.Quantifier));
        Assert.Equal(Quantifier.Any, Assert.IsType<QuantifiedComparisonExpression>(Expr("a = SOME (SELECT 1)")).Quantifier);
        Assert.Equal(Quantifier.Any, Assert.IsType<QuantifiedComparisonExpression>(Expr("a = ANY (SELECT 1)")).Quantifier);
    }

    [Fact]
    public void Parenthesized_set_operations_inside_expressions()
    {
        var scalar = Assert.IsType<ScalarSubquery>(Expr("((SELECT 1) UNION ALL (SELECT 2))"));
        var union = Assert.IsType<SetOperationBody>(scalar.Query.Body);
        Assert.True(union.All);
        var inSubquery = Assert.IsType<InSubqueryExpression>(Expr("x IN ((SELECT 1) UNION SELECT 2 ORDER BY 1)"));
        Assert.Single(inSubquery.Query.OrderBy);
        // A lone parenthesized subquery inside an IN list stays a list element.
        var list = Assert.IsType<InListExpression>(Expr("x IN ((SELECT 1), 2)"));
        Assert.IsType<ScalarSubquery>(list.Values[0]);
    }

    [Fact]
    public void Row_array_map_and_subscripts()
    {
        Assert.Equal(new RowConstructor([Int(1), Col("a")], P), Expr("ROW(1, a)"));
        Assert.Equal(new RowConstructor([Int(1), Col("a")], P), Expr("(1, a)"));
        Assert.Equal(new RowConstructor([Int(1)], P), Expr("row(1)"));
        Assert.Equal(Int(1), Expr("((1))"));
        Assert.Equal(new ArrayConstructor([Int(1), Int(2)], P), Expr("ARRAY[1, 2]"));
        Assert.Equal(new MapConstructor([Str("a"), Str("b")], [Int(1), Int(2)], P), Expr("MAP['a', 1, 'b', 2]"));
        Assert.Equal(new SubscriptExpression(new SubscriptExpression(Col("m"), Str("k"), P), Int(1), P), Expr("m['k'][1]"));
        Assert.Equal(new SubscriptExpression(new ArrayConstructor([Int(1)], P), Int(1), P), Expr("array[1][1]"));
        SyntaxError(() => Expr("MAP['a']"), 1, 1, "pairs");
    }

    [Fact]
    public void Case_expressions()
    {
        var searched = new CaseExpression(null, [new WhenClause(Eq(Col("a"), Int(1)), Str("one"), P), new WhenClause(Col("b"), Str("b"), P)], Str("other"), P);
        Assert.Equal(searched, Expr("CASE WHEN a = 1 THEN 'one' WHEN b THEN 'b' ELSE 'other' END"));
        var simple = new CaseExpression(Col("a"), [new WhenClause(Int(1), Str("one"), P)], null, P);
        Assert.Equal(simple, Expr("case a when 1 then 'one' end"));
        SyntaxError(() => Expr("CASE END"), 1, 6, "expected WHEN or expression");
    }

    [Fact]
    public void Casts()
    {
        Assert.Equal(new CastExpression(Col("a"), DataType.Decimal(10, 2), false, P), Expr("CAST(a AS DECIMAL(10, 2))"));
        Assert.Equal(new CastExpression(Col("a"), DataType.Int.WithNullable(false), true, P), Expr("TRY_CAST(a AS INT NOT NULL)"));
        Assert.Equal(new CastExpression(new CastExpression(Col("a"), DataType.String, false, P), DataType.BigInt, false, P), Expr("a::string::bigint"));
        // NOT after a :: cast starts a predicate, it is not part of the type.
        Assert.Equal(new InListExpression(new CastExpression(Col("a"), DataType.Int, false, P), [Int(1)], true, P), Expr("a::int NOT IN (1)"));
    }

    [Fact]
    public void Keyword_argument_functions()
    {
        Assert.Equal(new ExtractExpression(TimeUnit.Year, Col("ts"), P), Expr("EXTRACT(YEAR FROM ts)"));
        Assert.Equal(new ExtractExpression(TimeUnit.DayOfWeek, Col("ts"), P), Expr("extract(dow from ts)"));
        Assert.Equal(new FloorCeilExpression(false, Col("ts"), TimeUnit.Day, P), Expr("FLOOR(ts TO DAY)"));
        Assert.Equal(new FloorCeilExpression(true, Col("ts"), TimeUnit.Hour, P), Expr("CEIL(ts TO HOUR)"));
        Assert.Equal(Call("FLOOR", Col("x")), Expr("FLOOR(x)"));
        Assert.Equal(Call("ceiling", Col("x")), Expr("ceiling(x)"));
        Assert.Equal(new TrimExpression(TrimMode.Both, null, Col("s"), P), Expr("TRIM(s)"));
        Assert.Equal(new TrimExpression(TrimMode.Leading, Str("x"), Col("s"), P), Expr("TRIM(LEADING 'x' FROM s)"));
        Assert.Equal(new TrimExpression(TrimMode.Trailing, null, Col("s"), P), Expr("TRIM(TRAILING FROM s)"));
        Assert.Equal(new TrimExpression(TrimMode.Both, Str("x"), Col("s"), P), Expr("TRIM('x' FROM s)"));
        Assert.Equal(Call("SUBSTRING", Col("s"), Int(2), Int(3)), Expr("SUBSTRING(s FROM 2 FOR 3)"));
        Assert.Equal(Call("SUBSTRING", Col("s"), Int(2)), Expr("SUBSTRING(s FROM 2)"));
        Assert.Equal(Call("SUBSTRING", Col("s"), Int(2), Int(3)), Expr("SUBSTRING(s, 2, 3)"));
        Assert.Equal(Call("POSITION", Str("a"), Col("s")), Expr("POSITION('a' IN s)"));
        Assert.Equal(Call("POSITION", Bin(BinaryOperator.Concat, Str("a"), Str("b")), Col("s")), Expr("POSITION('a' || 'b' IN s)"));
        Assert.Equal(Call("OVERLAY", Col("s"), Str("x"), Int(1), Int(2)), Expr("OVERLAY(s PLACING 'x' FROM 1 FOR 2)"));
        Assert.Equal(Call("TIMESTAMPADD", new TimeUnitExpression(TimeUnit.Day, P), Int(1), Col("ts")), Expr("TIMESTAMPADD(DAY, 1, ts)"));
        Assert.Equal(Call("TIMESTAMPDIFF", new TimeUnitExpression(TimeUnit.Hour, P), Col("a"), Col("b")), Expr("TIMESTAMPDIFF(HOUR, a, b)"));
        Assert.Equal(Call("LEFT", Col("s"), Int(2)), Expr("LEFT(s, 2)"));
    }

    [Fact]
    public void Niladic_date_time_functions()
    {
        foreach (var name in new[] { "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME" })
        {
            Assert.Equal(Call(name), Expr(name.ToLowerInvariant()));
        }
        Assert.Equal(Call("CURRENT_ROW_TIMESTAMP"), Expr("CURRENT_ROW_TIMESTAMP()"));
    }

    [Fact]
    public void Function_calls_with_distinct_star_filter_and_over()
    {
        Assert.Equal(Call("count", new StarExpression([], P)), Expr("count(*)"));
        Assert.Equal(new FunctionCall(Name("count"), [Col("a")], true, null, null, P), Expr("count(DISTINCT a)"));
        Assert.Equal(Call("count", Col("a")), Expr("count(ALL a)"));
        Assert.Equal(new FunctionCall(Name("cat", "db", "fn"), [], false, null, null, P), Expr("cat.db.fn()"));
        Assert.Equal(new FunctionCall(Name("sum"), [Col("a")], false, Bin(BinaryOperator.Greater, Col("a"), Int(0)), null, P), Expr("sum(a) FILTER (WHERE a > 0)"));

        var over = Assert.IsType<FunctionCall>(Expr("sum(a) OVER (PARTITION BY b, c ORDER BY ts DESC NULLS LAST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)")).Over!;
        Assert.Null(over.BaseWindow);
        Assert.Equal([Col("b"), Col("c")], over.PartitionBy);
        Assert.Equal([new OrderItem(Col("ts"), true, NullOrdering.Last, P)], over.OrderBy);
        Assert.Equal(new WindowFrame(FrameUnit.Rows, new FrameBound(FrameBoundKind.Preceding, Int(2), P), new FrameBound(FrameBoundKind.CurrentRow, null, P), P), over.Frame);

        var range = Assert.IsType<FunctionCall>(Expr("max(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND UNBOUNDED FOLLOWING)")).Over!;
        Assert.Equal(FrameUnit.Range, range.Frame!.Unit);
        Assert.IsType<IntervalLiteral>(range.Frame.Start.Offset);
        Assert.Equal(FrameBoundKind.UnboundedFollowing, range.Frame.End!.Kind);

        var shortFrame = Assert.IsType<FunctionCall>(Expr("sum(a) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING)")).Over!.Frame!;
        Assert.Equal((FrameBoundKind.UnboundedPreceding, (FrameBound?)null), (shortFrame.Start.Kind, shortFrame.End));

        Assert.Equal(new WindowSpecification(Id("w"), [], [], null, P), Assert.IsType<FunctionCall>(Expr("sum(a) OVER w")).Over);
        Assert.Equal(new WindowSpecification(Id("w"), [], [new OrderItem(Col("x"), false, NullOrdering.Default, P)], null, P),
            Assert.IsType<FunctionCall>(Expr("sum(a) OVER (w ORDER BY x)")).Over);
    }

    [Fact]
    public void Filter_and_over_are_not_reserved()
    {
        var select = Select("select count(*) filter from t");
        Assert.Equal(Id("filter"), select.Items[0].Alias);
        SyntaxError(() => Select("select sum(a) over from t"), 1, 20, "expected '(' or window name");
        Assert.Equal(Col("filter"), Expr("filter"));
    }

    [Fact]
    public void Table_function_arguments()
    {
        var call = Assert.IsType<FunctionCall>(Expr("TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)"));
        Assert.Equal(new TableArgument(Name("bid"), P), call.Arguments[0]);
        Assert.Equal(new DescriptorExpression([Id("bidtime")], P), call.Arguments[1]);
        var named = Assert.IsType<FunctionCall>(Expr("TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '10' MINUTE)"));
        Assert.Equal(new NamedArgument(Id("DATA"), new TableArgument(Name("bid"), P), P), named.Arguments[0]);
        Assert.Equal(Id("SIZE"), Assert.IsType<NamedArgument>(named.Arguments[2]).Name);
    }

    [Fact]
    public void Qualified_and_quoted_names()
    {
        Assert.Equal(Col("cat", "db", "t", "c"), Expr("cat.db.t.c"));
        Assert.Equal(new ColumnRef([Id("my col", true), Id("x\"y", true)], P), Expr("`my col`.\"x\"\"y\""));
        Assert.Equal(new ColumnRef([Id("select", true)], P), Expr("`select`"));
        Assert.Equal("MixedCase", Assert.IsType<ColumnRef>(Expr("MixedCase")).Name.Value);
    }

    [Fact]
    public void Positions_point_at_the_first_token()
    {
        var e = Assert.IsType<BinaryExpression>(Expr("  a +\n   b * c"));
        Assert.Equal(new SourcePosition(1, 3), e.Position);
        Assert.Equal(new SourcePosition(2, 4), e.Right.Position);
        Assert.Equal(new SourcePosition(2, 4), ((BinaryExpression)e.Right).Left.Position);
        Assert.Equal(new SourcePosition(1, 1), Expr("-5").Position);
        Assert.Equal(new SourcePosition(1, 1), Expr("CAST(a AS INT)").Position);
    }

    [Fact]
    public void Equality_ignores_positions()
    {
        Assert.Equal(Expr("a+1"), Expr("  a  +\n 1"));
        Assert.Equal(Expr("a+1").GetHashCode(), Expr("  a  +\n 1").GetHashCode());
        Assert.NotEqual(Expr("a+1"), Expr("a+2"));
        Assert.NotEqual(Expr("a"), Expr("`a`"));
    }

    [Fact]
    public void ToString_prints_sql()
    {
        Assert.Equal("a + 1 * f(DISTINCT `b c`)", Expr("a+1*f(distinct `b c`)").ToString());
    }
}
