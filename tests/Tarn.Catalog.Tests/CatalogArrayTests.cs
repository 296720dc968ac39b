using Tarn.Catalog.Model;
using Tarn.Types;

namespace Tarn.Catalog.Tests;

public sealed class CatalogArrayTests
{
    private static CatalogImage With(DataType type, string? @default = null) => new([new CatalogDef("cat", new Dictionary<string, string>(), [
        new DatabaseDef("db", null, new Dictionary<string, string>(), [
            new TableDef("t", 7, [new ColumnDef(0, "a", type, DefaultExpression: @default)], [], [], null, new Dictionary<string, string>(), null)], [])])]);

    [Fact]
    [Trait("Spec", "CAT-005")]
    public void Array_columns_need_image_version_4_and_round_trip()
    {
        var nested = DataType.Array(DataType.Array(DataType.Decimal(20, 3))).WithNullable(false);
        var bytes = CatalogCodec.Encode(With(nested, "[]"));
        Assert.Equal(4, bytes[0]);
        var column = CatalogCodec.Decode(bytes, "test").Catalogs[0].Databases[0].Tables[0].Columns[0];
        Assert.Equal(nested, column.Type);
        Assert.Equal("ARRAY<ARRAY<DECIMAL(20, 3)>> NOT NULL", column.Type.ToSql());
        Assert.Equal("[]", column.DefaultExpression);
        Assert.Equal(1, CatalogCodec.Encode(With(DataType.Int))[0]);
    }

    [Fact]
    [Trait("Spec", "CAT-005")]
    public void An_array_column_in_an_older_image_is_corrupt()
    {
        var bytes = CatalogCodec.Encode(With(DataType.Array(DataType.Int), "[1]"));
        bytes[0] = 3;
        var e = Assert.Throws<TarnException>(() => CatalogCodec.Decode(bytes, "old"));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }
}
