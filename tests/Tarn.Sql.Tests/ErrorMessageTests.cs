using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>Messages name what was found and what was expected, at the right line and column.</summary>
public class ErrorMessageTests
{
    [Theory]
    [InlineData("SELECT a,\n       b\n  FROM t WHERE\n  GROUP BY a", 4, 3, "unexpected 'GROUP', expected expression")]
    [InlineData("SELECT a,\n  FROM t", 2, 3, "unexpected 'FROM', expected expression")]
    [InlineData("select a from t wher x = 1", 1, 22, "unexpected 'x', expected end of statement")]
    [InlineData("select * from t where a = (1", 1, 29, "unexpected end of input, expected ',' or ')'")]
    [InlineData("select f(a b) from t", 1, 12, "unexpected 'b', expected ',' or ')'")]
    [InlineData("select a from t group a", 1, 23, "unexpected 'a', expected BY")]
    [InlineData("select case when a then 1 from t", 1, 27, "expected WHEN, ELSE or END")]
    [InlineData("select a from t order by", 1, 25, "unexpected end of input, expected expression")]
    [InlineData("select a from t\nwhere x is maybe", 2, 12, "expected NOT, NULL, TRUE, FALSE, UNKNOWN, JSON or DISTINCT FROM")]
    [InlineData("select a from t where x not 5", 1, 29, "expected BETWEEN, IN, LIKE or SIMILAR TO")]
    [InlineData("select a from t where x between 1", 1, 34, "unexpected end of input, expected AND")]
    [InlineData("select 'unterminated", 1, 8, "unterminated string literal")]
    [InlineData("select cast(a as integer(3)) from t", 1, 25, "unexpected '(', expected ')'")]
    [InlineData("select 1 from t limit", 1, 22, "expected expression")]
    [InlineData("select\n\n   'x' 'y'", 3, 8, "unexpected string literal 'y', expected end of statement")]
    [InlineData("insert into t select 1 from", 1, 28, "expected table")]
    [InlineData("select a from t where a in ()", 1, 29, "unexpected ')', expected expression")]
    [InlineData("select extract(fortnight from ts)", 1, 16, "expected time unit")]
    [InlineData("select x from t window w", 1, 25, "expected AS")]
    [InlineData("select sum(x) over (order by y rows 1) from t", 1, 38, "expected PRECEDING or FOLLOWING")]
    [InlineData("select sum(x) over (partition y) from t", 1, 31, "expected BY")]
    [InlineData("select a::", 1, 11, "expected data type")]
    [InlineData("select t.", 1, 10, "expected identifier")]
    public void Messages(string sql, int line, int column, string fragment) => StatementError(sql, line, column, fragment);

    [Fact]
    public void Expression_and_type_entry_points_report_trailing_input()
    {
        SyntaxError(() => Expr("a b"), 1, 3, "unexpected 'b', expected end of expression");
        SyntaxError(() => Expr(""), 1, 1, "unexpected end of input, expected expression");
        SyntaxError(() => Type("INT INT"), 1, 5, "expected end of data type");
    }

    [Fact]
    public void Message_has_code_and_position()
    {
        var error = StatementError("select\n  1 +", 2, 6, "unexpected end of input, expected expression");
        Assert.Equal("syntax error at line 2, column 6: unexpected end of input, expected expression", error.Message);
        Assert.Equal("42601", error.SqlState);
    }
}
