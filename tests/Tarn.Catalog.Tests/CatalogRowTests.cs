using Tarn.Catalog.Model;
using Tarn.Types;

namespace Tarn.Catalog.Tests;

public sealed class CatalogRowTests
{
    private static CatalogImage With(DataType type) => new([new CatalogDef("cat", new Dictionary<string, string>(), [
        new DatabaseDef("db", null, new Dictionary<string, string>(), [
            new TableDef("t", 0, [new ColumnDef(0, "r", type)], [], [], null, new Dictionary<string, string> { ["connector"] = "nexmark" }, null)], [])])]);

    private static readonly DataType Nested = DataType.Row([
        new RowField("id", DataType.BigInt.WithNullable(false)),
        new RowField("dateTime", DataType.Timestamp(3)),
        new RowField("nested", DataType.Row([new RowField("s", DataType.String)]).WithNullable(false)),
    ]);

    [Fact]
    [Trait("Spec", "CAT-006")]
    public void Row_columns_need_image_version_5_and_round_trip()
    {
        var bytes = CatalogCodec.Encode(With(Nested));
        Assert.Equal(CatalogCodec.RowVersion, bytes[0]);
        var column = CatalogCodec.Decode(bytes, "test").Catalogs[0].Databases[0].Tables[0].Columns[0];
        Assert.Equal(Nested, column.Type);
        Assert.Equal("ROW<`id` BIGINT NOT NULL, `dateTime` TIMESTAMP(3), `nested` ROW<`s` STRING> NOT NULL>", column.Type.ToSql());
    }

    [Fact]
    [Trait("Spec", "CAT-006")]
    public void A_row_column_in_an_older_image_is_corrupt()
    {
        var bytes = CatalogCodec.Encode(With(Nested));
        bytes[0] = 4;
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => CatalogCodec.Decode(bytes, "old")).SqlState);
    }

    [Fact]
    public void Leaves_flatten_rows_depth_first_and_nullable_rows_make_nullable_fields()
    {
        var table = With(Nested).Catalogs[0].Databases[0].Tables[0];
        var leaves = ColumnLeaves.Physical(table);
        Assert.Equal(["r.id", "r.dateTime", "r.nested.s"], leaves.Select(l => l.Name));
        Assert.True(leaves[0].Type.Nullable); // the row itself may be NULL
        Assert.Equal(DataType.String, leaves[2].Type);
    }
}
