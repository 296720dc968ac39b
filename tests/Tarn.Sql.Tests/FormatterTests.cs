using CsCheck;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;
using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class FormatterTests
{
    public static TheoryData<string> CorpusStatements() => [.. Corpus.Statements];

    [Theory]
    [MemberData(nameof(CorpusStatements))]
    public void Every_statement_reads_back_from_its_formatted_text(string sql) => RoundTrip(sql);

    [Fact]
    public void Formatting_is_stable()
    {
        foreach (var sql in Corpus.Statements)
        {
            var once = SqlFormatter.Format(Stmt(sql));
            Assert.Equal(once, SqlFormatter.Format(Stmt(once)));
        }
    }

    [Fact]
    public void Create_table_prints_one_column_per_line()
    {
        Assert.Equal(
            "CREATE TABLE t (\n  id BIGINT NOT NULL,\n  `select` STRING COMMENT 'it''s'\n) WITH ('k' = 'v')",
            SqlFormatter.Format(Stmt("create table t (id long not null, `select` string comment 'it''s') with ('k'='v')")));
    }

    [Fact]
    public void Parentheses_only_where_needed()
    {
        Assert.Equal("(a + b) * c", Expr("((a + b)) * c").ToString());
        Assert.Equal("a + b * c", Expr("a + (b * c)").ToString());
        Assert.Equal("a - (b - c)", Expr("a - (b - c)").ToString());
        Assert.Equal("NOT (a AND b)", Expr("not (a and b)").ToString());
        Assert.Equal("(NOT a) = b", Expr("(not a) = b").ToString());
        Assert.Equal("-(5)", Expr("-(5)").ToString());
        Assert.Equal("(-5)[1]", Expr("(-5)[1]").ToString());
        Assert.Equal("- -a", Expr("-(-a)").ToString());
        Assert.Equal("SELECT 1 UNION (SELECT 2 UNION SELECT 3)", Stmt("select 1 union (select 2 union select 3)").ToString());
        Assert.Equal("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3", Stmt("(select 1 union select 2) intersect select 3").ToString());
    }

    [Fact]
    public void Names_are_quoted_when_needed()
    {
        Assert.Equal("plain", SqlFormatter.Quote(Id("plain")));
        Assert.Equal("`from`", SqlFormatter.Quote(Id("from")));
        Assert.Equal("`a b`", SqlFormatter.Quote(Id("a b")));
        Assert.Equal("`a``b`", SqlFormatter.Quote(Id("a`b")));
        Assert.Equal("`x`", SqlFormatter.Quote(Id("x", quoted: true)));
        Assert.Equal("`1a`", SqlFormatter.Quote(Id("1a")));
    }

    /// <summary>Random expression trees print to text that parses back to the same tree.</summary>
    [Fact]
    public void Random_expressions_round_trip() =>
        ExpressionGenerator.Expression.Sample(expected =>
        {
            var text = SqlFormatter.Format(expected);
            Expression actual;
            try
            {
                actual = SqlParser.ParseExpression(text);
            }
            catch (TarnException e)
            {
                throw new Xunit.Sdk.XunitException($"{text}\n{e.Message}");
            }
            if (!actual.Equals(expected))
                throw new Xunit.Sdk.XunitException($"read back differently:\n{text}\n{SqlFormatter.Format(actual)}");
        }, iter: 3000, print: SqlFormatter.Format);
}

/// <summary>Generates expression trees in the shapes the parser produces (its canonical forms).</summary>
internal static class ExpressionGenerator
{
    private static readonly SourcePosition P = default;

    private static readonly Gen<Identifier> Name = Gen.Frequency<Identifier>(
        (6, Gen.OneOf("a", "b", "col", "x1", "user_id", "Ts", "status", "date", "year", "value", "rows").Select(n => new Identifier(n, false, P))),
        (1, Gen.OneOf("a b", "select", "x`y", "Ünï", "\"q\"").Select(n => new Identifier(n, true, P))));

    private static readonly Gen<NodeList<Identifier>> Names = Gen.Int[1, 3].SelectMany(n => Name.Array[n]).Select(a => NodeList.Create<Identifier>(a));

    private static readonly Gen<string> Text = Gen.String[Gen.Char.AlphaNumeric, 0, 6]
        .SelectMany(s => Gen.OneOf("", "'", "''", " ", "\n", ";", "--", "é")
            .Select(extra => s + extra));

    private static readonly Gen<Expression> Literal = Gen.OneOf<Expression>(
        Gen.Long.Select(v => (Expression)new IntegerLiteral(v, P)),
        Gen.Int[0, 1000].Select(v => (Expression)new IntegerLiteral(v, P)),
        Gen.Select(Gen.Bool, Gen.String[Gen.Char['0', '9'], 1, 5], Gen.String[Gen.Char['0', '9'], 1, 4],
            (negative, a, b) => (Expression)new DecimalLiteral((negative ? "-" : "") + a + "." + b, P)),
        Gen.Select(Gen.Bool, Gen.String[Gen.Char['1', '9'], 20, 25], (negative, digits) => (Expression)new DecimalLiteral((negative ? "-" : "") + digits, P)),
        Gen.Double.Where(double.IsFinite).Select(v => (Expression)new DoubleLiteral(v, P)),
        Text.Select(s => (Expression)new StringLiteral(s, P)),
        Gen.Byte.Array[0, 4].Select(b => (Expression)new BinaryLiteral(Convert.ToHexString(b), P)),
        Gen.OneOf<bool?>(true, false, null).Select(b => (Expression)new BooleanLiteral(b, P)),
        Gen.Const<Expression>(new NullLiteral(P)),
        Gen.Select(Gen.Enum<DateTimeLiteralKind>(), Text, (k, s) => (Expression)new DateTimeLiteral(k, s, P)),
        Gen.Select(Text, Gen.Bool, Qualifier(), (s, negative, q) => (Expression)new IntervalLiteral(s, negative, q, P)),
        Gen.Int[1, 99].Select(i => (Expression)new ParameterExpression(ParameterStyle.Dollar, i, null, P)),
        Gen.Select(Gen.OneOf(ParameterStyle.Colon, ParameterStyle.At), Gen.OneOf("p", "name", "x_1"),
            (style, n) => (Expression)new ParameterExpression(style, 0, n, P)),
        Names.Select(n => (Expression)new ColumnRef(n, P)));

    private static Gen<IntervalQualifier> Qualifier()
    {
        var single = Gen.Select(Gen.OneOf(TimeUnit.Year, TimeUnit.Month, TimeUnit.Day, TimeUnit.Hour, TimeUnit.Minute, TimeUnit.Second),
            Gen.Int[1, 10].Nullable(), Gen.Int[0, 9].Nullable(),
            (unit, p, fp) => new IntervalQualifier(unit, null, p, unit == TimeUnit.Second && p is not null ? fp : null));
        var range = Gen.Select(
            Gen.OneOf((TimeUnit.Year, TimeUnit.Month), (TimeUnit.Day, TimeUnit.Hour), (TimeUnit.Day, TimeUnit.Second),
                (TimeUnit.Hour, TimeUnit.Minute), (TimeUnit.Minute, TimeUnit.Second)),
            Gen.Int[1, 10].Nullable(), Gen.Int[0, 9].Nullable(),
            (units, p, fp) => new IntervalQualifier(units.Item1, units.Item2, p, units.Item2 == TimeUnit.Second ? fp : null));
        return Gen.OneOf<IntervalQualifier>(single, range);
    }

    private static readonly Gen<DataType> Type = Gen.Select(
        Gen.OneOf(DataType.Int, DataType.BigInt, DataType.Decimal(10, 2), DataType.String, DataType.Varchar(10), DataType.Char(3),
            DataType.Timestamp(3), DataType.TimestampLtz(3), DataType.Boolean, DataType.Double, DataType.Date, DataType.Time(0), DataType.Bytes),
        Gen.Bool, (t, nullable) => t.WithNullable(nullable));

    private static readonly Gen<QualifiedName> FunctionName = Gen.OneOf<QualifiedName>(
        Gen.OneOf("f", "upper", "coalesce", "my_func", "Sum").Select(n => new QualifiedName([new Identifier(n, false, P)], P)),
        Gen.Const(new QualifiedName([new Identifier("db", false, P), new Identifier("fn", false, P)], P)));

    public static readonly Gen<Expression> Expression = Gen.Recursive<Expression>((depth, self) =>
    {
        if (depth >= 4)
            return Literal;
        var list = self.Array[1, 3].Select(a => NodeList.Create<Expression>(a));
        var query = Gen.Select(self, Name.Null(), self.Null(), (item, alias, where) => new Query(
            [],
            new SelectBody([], false, [new SelectItem(item, alias, P)], [new NamedTable(new QualifiedName([new Identifier("t", false, P)], P), [], null, null, P)],
                where, [], null, [], null, P),
            [], null, null, P));
        var orderItem = Gen.Select(self, Gen.Bool, Gen.Enum<NullOrdering>(), (e, desc, nulls) => new OrderItem(e, desc, nulls, P));
        var bound = Gen.OneOf<FrameBound>(
            Gen.OneOf(FrameBoundKind.UnboundedPreceding, FrameBoundKind.CurrentRow, FrameBoundKind.UnboundedFollowing).Select(k => new FrameBound(k, null, P)),
            Gen.Select(Gen.OneOf(FrameBoundKind.Preceding, FrameBoundKind.Following), self, (k, e) => new FrameBound(k, e, P)));
        var frame = Gen.Select(Gen.Enum<FrameUnit>(), bound, bound.Null(), (u, s, e) => new WindowFrame(u, s, e, P));
        // ROWS, RANGE and PARTITION right after OVER ( start a clause, so they cannot name a base window unquoted.
        var baseWindow = Name.Where(n => n.Quoted || n.Value is not ("rows" or "range" or "partition"));
        var window = Gen.Select(baseWindow.Null(), self.Array[0, 2], orderItem.Array[0, 2], frame.Null(),
            (b, partition, order, f) => new WindowSpecification(b, NodeList.Create<Expression>(partition), NodeList.Create<OrderItem>(order), order.Length > 0 ? f : null, P));
        var argument = Gen.Frequency<Expression>(
            (8, self),
            (1, Gen.Select(Name, self, (n, v) => (Expression)new NamedArgument(n, v, P))));
        var call = Gen.Select(FunctionName, argument.Array[0, 3], Gen.Bool, self.Null(), window.Null(),
            (name, args, distinct, filter, over) => (Expression)new FunctionCall(name, NodeList.Create<Expression>(args), distinct && args.Length > 0, filter, over, P));
        var binary = Gen.Select(Gen.Enum<BinaryOperator>(), self, self, (op, l, r) => (Expression)new BinaryExpression(op, l, r, P));
        return Gen.Frequency<Expression>(
            (6, Literal),
            (6, binary),
            (2, Gen.Select(Gen.Enum<UnaryOperator>(), self, (op, e) => (Expression)new UnaryExpression(op, e, P))),
            (1, Gen.Select(self, Gen.Enum<IsTest>(), Gen.Bool, (e, t, n) => (Expression)new IsExpression(e, t, n, P))),
            (1, Gen.Select(self, self, Gen.Bool, (l, r, n) => (Expression)new IsDistinctFromExpression(l, r, n, P))),
            (1, Gen.Select(self, self, self, Gen.Bool, Gen.Bool, (e, lo, hi, n, s) => (Expression)new BetweenExpression(e, lo, hi, n, s, P))),
            (1, Gen.Select(self, list, Gen.Bool, (e, values, n) => (Expression)new InListExpression(e, values, n, P))),
            (1, Gen.Select(Gen.Enum<PatternKind>(), self, self, self.Null(), Gen.Bool, (k, e, p, esc, n) => (Expression)new LikeExpression(k, e, p, esc, n, P))),
            (1, Gen.Select(self.Null(), Gen.Select(self, self, (c, r) => new WhenClause(c, r, P)).Array[1, 3], self.Null(),
                (operand, whens, otherwise) => (Expression)new CaseExpression(operand, NodeList.Create<WhenClause>(whens), otherwise, P))),
            (1, Gen.Select(self, Type, Gen.Bool, (e, t, isTry) => (Expression)new CastExpression(e, t, isTry, P))),
            (1, Gen.Select(Gen.Enum<TimeUnit>(), self, (u, e) => (Expression)new ExtractExpression(u, e, P))),
            (1, Gen.Select(Gen.Bool, self, Gen.Enum<TimeUnit>(), (c, e, u) => (Expression)new FloorCeilExpression(c, e, u, P))),
            (1, Gen.Select(Gen.Enum<TrimMode>(), self.Null(), self, (m, c, s) => (Expression)new TrimExpression(m, c, s, P))),
            (3, call),
            (1, Gen.Const<Expression>(new FunctionCall(new QualifiedName([new Identifier("count", false, P)], P), [new StarExpression([], P)], false, null, null, P))),
            (1, list.Select(fields => (Expression)new RowConstructor(fields, P))),
            (1, list.Select(elements => (Expression)new ArrayConstructor(elements, P))),
            (1, Gen.Select(self, self, (k, v) => (k, v)).Array[1, 2].Select(pairs => (Expression)new MapConstructor(
                NodeList.Create<Expression>(pairs.Select(p => p.k).ToArray()), NodeList.Create<Expression>(pairs.Select(p => p.v).ToArray()), P))),
            (1, Gen.Select(self, self, (e, i) => (Expression)new SubscriptExpression(e, i, P))),
            (1, query.Select(q => (Expression)new ScalarSubquery(q, P))),
            (1, query.Select(q => (Expression)new ExistsExpression(q, P))),
            (1, Gen.Select(self, query, Gen.Bool, (e, q, n) => (Expression)new InSubqueryExpression(e, q, n, P))),
            (1, Gen.Select(Gen.OneOf(BinaryOperator.Equal, BinaryOperator.Less, BinaryOperator.NotEqual), self, Gen.Enum<Quantifier>(), query,
                (op, e, quantifier, q) => (Expression)new QuantifiedComparisonExpression(op, e, quantifier, q, P))));
    });
}
