using Tarn.Planner.Binding;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Tests;

/// <summary>Field references (<c>row.field</c>) resolve to the flattened columns a connector scan produces.</summary>
public class ScopeRowFieldTests
{
    private static readonly Scope Scope = new([
        new ScopeColumn("t", "id", DataType.Int),
        new ScopeColumn("t", "r.a", DataType.Int),
        new ScopeColumn("t", "r.nested.s", DataType.String),
        new ScopeColumn("u", "r.a", DataType.BigInt),
        new ScopeColumn("r", "a", DataType.Double),
    ]);

    private static int Resolve(string reference) => Scope.Resolve((ColumnRef)SqlParser.ParseExpression(reference));

    [Theory]
    [InlineData("t.r.a", 1)]
    [InlineData("u.r.a", 3)]
    [InlineData("t.r.nested.s", 2)]
    [InlineData("r.nested.s", 2)]
    [InlineData("r.a", 4)] // a relation named r wins over ROW columns named r (Flink's rule)
    [InlineData("id", 0)]
    public void References_resolve(string reference, int index) => Assert.Equal(index, Resolve(reference));

    [Theory]
    [InlineData("t.r", "0A000")] // whole-row values
    [InlineData("r.nested", "0A000")]
    [InlineData("t.r.nested", "0A000")]
    [InlineData("t.r.b", "42703")]
    [InlineData("nope.a", "42703")]
    public void Bad_references_are_rejected(string reference, string sqlState) =>
        Assert.Equal(sqlState, Assert.Throws<TarnException>(() => Resolve(reference)).SqlState);

    [Fact]
    public void The_same_field_of_two_relations_is_ambiguous_without_a_relation()
    {
        var scope = new Scope([new ScopeColumn("t", "x.a", DataType.Int), new ScopeColumn("u", "x.a", DataType.Int)]);
        Assert.Equal(SqlStates.AmbiguousColumn, Assert.Throws<TarnException>(() => scope.Resolve((ColumnRef)SqlParser.ParseExpression("x.a"))).SqlState);
        Assert.Equal(1, scope.Resolve((ColumnRef)SqlParser.ParseExpression("u.x.a")));
    }
}
