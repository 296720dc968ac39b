using Tarn.Types;
using static Tarn.Sql.Tests.Sql;

namespace Tarn.Sql.Tests;

public class DataTypeTests
{
    public static TheoryData<string, DataType> Types() => new()
    {
        { "BOOLEAN", DataType.Boolean },
        { "tinyint", DataType.TinyInt },
        { "SMALLINT", DataType.SmallInt },
        { "INT", DataType.Int },
        { "integer", DataType.Int },
        { "BIGINT", DataType.BigInt },
        { "long", DataType.BigInt },
        { "FLOAT", DataType.Float },
        { "REAL", DataType.Float },
        { "DOUBLE", DataType.Double },
        { "double precision", DataType.Double },
        { "DECIMAL", DataType.Decimal(10, 0) },
        { "DECIMAL(5)", DataType.Decimal(5, 0) },
        { "dec(38, 38)", DataType.Decimal(38, 38) },
        { "NUMERIC(10,2)", DataType.Decimal(10, 2) },
        { "CHAR", DataType.Char(1) },
        { "CHAR(3)", DataType.Char(3) },
        { "character(2)", DataType.Char(2) },
        { "VARCHAR", DataType.String },
        { "VARCHAR(20)", DataType.Varchar(20) },
        { "STRING", DataType.String },
        { "BINARY", new DataType(TypeKind.Binary, Length: 1) },
        { "BINARY(16)", new DataType(TypeKind.Binary, Length: 16) },
        { "VARBINARY", DataType.Bytes },
        { "VARBINARY(8)", new DataType(TypeKind.Varbinary, Length: 8) },
        { "BYTES", DataType.Bytes },
        { "DATE", DataType.Date },
        { "TIME", DataType.Time(0) },
        { "TIME(3)", DataType.Time(3) },
        { "TIME(3) WITHOUT TIME ZONE", DataType.Time(3) },
        { "TIMESTAMP", DataType.Timestamp(6) },
        { "TIMESTAMP(3)", DataType.Timestamp(3) },
        { "timestamp(9) without time zone", DataType.Timestamp(9) },
        { "TIMESTAMP WITH LOCAL TIME ZONE", DataType.TimestampLtz(6) },
        { "TIMESTAMP(3) WITH LOCAL TIME ZONE", DataType.TimestampLtz(3) },
        { "TIMESTAMP_LTZ", DataType.TimestampLtz(6) },
        { "TIMESTAMP_LTZ(0)", DataType.TimestampLtz(0) },
        { "INT NOT NULL", DataType.Int.WithNullable(false) },
        { "STRING NULL", DataType.String },
        { "TIMESTAMP_LTZ(3) NOT NULL", DataType.TimestampLtz(3).WithNullable(false) },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Type_names(string sql, DataType expected) => Assert.Equal(expected, Type(sql));

    [Theory]
    [MemberData(nameof(Types))]
    public void Printed_types_read_back(string sql, DataType expected)
    {
        _ = sql;
        Assert.Equal(expected, Type(expected.ToSql()));
    }

    [Theory]
    [InlineData("DECIMAL(0)", 1, 9, "precision must be between 1 and 38, not 0")]
    [InlineData("DECIMAL(39, 2)", 1, 9, "not 39")]
    [InlineData("DECIMAL(5, 6)", 1, 12, "scale must be between 0 and the precision (5), not 6")]
    [InlineData("CHAR(0)", 1, 6, "at least 1")]
    [InlineData("VARCHAR(99999999999)", 1, 9, "too large")]
    [InlineData("TIMESTAMP(10)", 1, 11, "between 0 and 9")]
    [InlineData("TIME(12)", 1, 6, "between 0 and 9")]
    [InlineData("TIMESTAMP WITH TIME ZONE", 1, 11, "not supported")]
    [InlineData("MAP<INT, INT>", 1, 1, "data type MAP is not supported")]
    [InlineData("ARRAY<INT", 1, 10, "expected '>'")]
    [InlineData("foo", 1, 1, "unknown data type 'foo'")]
    [InlineData("INT NOT", 1, 5, "unexpected 'NOT', expected end of data type")]
    [InlineData("DECIMAL(10, 2", 1, 14, "expected ')'")]
    [InlineData("42", 1, 1, "expected data type")]
    public void Invalid_types(string sql, int line, int column, string fragment) =>
        SyntaxError(() => Type(sql), line, column, fragment);

    [Fact]
    public void Unknown_type_in_a_column_definition_points_at_it()
    {
        StatementError("create table t (\n  a int,\n  b strin\n)", 3, 5, "unknown data type 'strin'");
    }
}
