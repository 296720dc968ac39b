using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

/// <summary>Flink's ROW&lt;...&gt; and ROW(...) column types (the Nexmark DDL's person, auction and bid).</summary>
public class DataTypeRowTests
{
    private static readonly DataType Person = DataType.Row([
        new RowField("id", DataType.BigInt),
        new RowField("dateTime", DataType.Timestamp(3)),
        new RowField("extra", DataType.String.WithNullable(false)),
    ]);

    public static TheoryData<string, DataType> Types() => new()
    {
        { "ROW<id BIGINT, `dateTime` TIMESTAMP(3), extra VARCHAR NOT NULL>", Person },
        { "row(id bigint, `dateTime` timestamp(3), extra string not null)", Person },
        { "ROW<id BIGINT COMMENT 'the id', `dateTime` TIMESTAMP(3), extra STRING NOT NULL>", Person },
        { "ROW<nested ROW<x INT>> NOT NULL", DataType.Row([new RowField("nested", DataType.Row([new RowField("x", DataType.Int)]))]).WithNullable(false) },
        { "ROW<`a b` INT>", DataType.Row([new RowField("a b", DataType.Int)]) },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Row_types(string sql, DataType expected) => Assert.Equal(expected, Type(sql));

    [Theory]
    [MemberData(nameof(Types))]
    public void Printed_row_types_read_back(string sql, DataType expected)
    {
        _ = sql;
        Assert.Equal(expected, Type(expected.ToSql()));
    }

    [Fact]
    public void Field_names_and_types_are_part_of_the_type()
    {
        Assert.NotEqual(Type("ROW<a INT>"), Type("ROW<b INT>"));
        Assert.NotEqual(Type("ROW<a INT>"), Type("ROW<a BIGINT>"));
        Assert.NotEqual(Type("ROW<a INT>"), Type("ROW<a INT, b INT>"));
        Assert.Equal("ROW<`id` BIGINT, `dateTime` TIMESTAMP(3), `extra` STRING NOT NULL>", Person.ToSql());
        Assert.Equal(DataType.Timestamp(3), Person.FindField("DATETIME")!.Type);
    }

    [Theory]
    [InlineData("ROW", 1, 1, "ROW needs its fields")]
    [InlineData("ROW<a INT", 1, 10, "expected '>'")]
    [InlineData("ROW(a INT>", 1, 10, "expected ')'")]
    [InlineData("ROW< >", 1, 6, "expected a ROW field name")]
    [InlineData("ROW<>", 1, 1, "ROW needs its fields")] // <> is one token (not equal)
    public void Invalid_row_types(string sql, int line, int column, string fragment) =>
        SyntaxError(() => Type(sql), line, column, fragment);

    [Theory]
    [InlineData("ROW<a INT, A STRING>", "42701")]
    [InlineData("ARRAY<ROW<a INT>>", "0A000")]
    public void Rejected_row_types(string sql, string sqlState) =>
        Assert.Equal(sqlState, Assert.Throws<TarnException>(() => Type(sql)).SqlState);
}
