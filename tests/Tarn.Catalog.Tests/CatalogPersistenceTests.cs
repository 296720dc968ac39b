using CsCheck;
using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Storage.Engine;
using Tarn.Types;

namespace Tarn.Catalog.Tests;

public sealed class CatalogPersistenceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-cat-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly Gen<DataType> GenType = Gen.OneOf(
        Gen.Const(DataType.Int), Gen.Const(DataType.BigInt), Gen.Const(DataType.String), Gen.Const(DataType.Double),
        Gen.Int[1, 38].SelectMany(p => Gen.Int[0, p].Select(s => DataType.Decimal(p, s))),
        Gen.Int[0, 9].Select(p => DataType.Timestamp(p)), Gen.Int[1, 100].Select(DataType.Varchar));

    private static readonly Gen<string> GenName = Gen.String[Gen.Char['a', 'z'], 1, 8];

    private static readonly Gen<TableDef> GenTable =
        Gen.Select(GenName, Gen.Select(GenName, GenType, Gen.Bool, GenName.Null(), GenName.Null()).List[1, 6], Gen.Dictionary(GenName, GenName)[0, 3], GenName.Null(), Gen.Long[0, 1000])
            .Select((name, cols, options, comment, id) => new TableDef(name, id,
                cols.Select((c, i) => new ColumnDef(i, c.Item1 + i, c.Item2.WithNullable(c.Item3), c.Item4, DefaultExpression: c.Item5 is null ? null : "'" + c.Item5 + "'")).ToList(),
                [], cols.Count > 1 ? [cols[0].Item1 + "0"] : [], null, options, comment));

    [Fact]
    [Trait("Spec", "CAT-002")]
    public void Images_without_column_defaults_stay_at_version_1()
    {
        static CatalogImage With(string? @default) => new([new CatalogDef("cat", new Dictionary<string, string>(), [
            new DatabaseDef("db", null, new Dictionary<string, string>(), [
                new TableDef("t", 7, [new ColumnDef(0, "a", DataType.Int, DefaultExpression: @default)], [], [], null, new Dictionary<string, string>(), null)], [])])]);
        var plain = CatalogCodec.Encode(With(null));
        var withDefault = CatalogCodec.Encode(With("42"));
        Assert.Equal(1, plain[0]);
        Assert.Equal(2, withDefault[0]);
        Assert.Null(CatalogCodec.Decode(plain, "test").Catalogs[0].Databases[0].Tables[0].Columns[0].DefaultExpression);
        Assert.Equal("42", CatalogCodec.Decode(withDefault, "test").Catalogs[0].Databases[0].Tables[0].Columns[0].DefaultExpression);
    }

    [Fact]
    [Trait("Spec", "CAT-003")]
    public void Catalog_images_round_trip()
    {
        Gen.Select(GenTable.List[0, 4], GenName).Sample((tables, viewName) =>
        {
            var db = new DatabaseDef("db", "c", new Dictionary<string, string> { ["k"] = "v" }, tables, [new ViewDef(viewName, "SELECT 1", ["x"], null)]);
            var image = new CatalogImage([new CatalogDef("cat", new Dictionary<string, string>(), [db])]);
            var back = CatalogCodec.Decode(CatalogCodec.Encode(image), "test");
            Assert.Equal(CatalogCodec.Encode(image), CatalogCodec.Encode(back));
            var t = back.Catalogs[0].Databases[0].Tables;
            Assert.Equal(tables.Count, t.Count);
            for (var i = 0; i < tables.Count; i++)
            {
                Assert.Equal(tables[i].Columns, t[i].Columns);
                Assert.Equal(tables[i].Options.OrderBy(o => o.Key), t[i].Options.OrderBy(o => o.Key));
            }
        });
    }

    [Fact]
    [Trait("Spec", "CAT-002")]
    public void A_newer_catalog_image_is_refused()
    {
        var bytes = CatalogCodec.Encode(CatalogImage.Initial);
        bytes[0] = 9;
        var e = Assert.Throws<TarnException>(() => CatalogCodec.Decode(bytes, "x"));
        Assert.Equal(SqlStates.FeatureNotSupported, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "CAT-001")]
    [Trait("Spec", "CAT-003")]
    public async Task Ddl_survives_reopen_and_new_columns_get_fresh_ids()
    {
        var path = new ObjectPath("default_catalog", "sales", "orders");
        using (var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false }))
        {
            var catalog = new CatalogManager(engine);
            await catalog.CreateDatabaseAsync("default_catalog", "sales", "sales data", new Dictionary<string, string>(), ifNotExists: false);
            var def = new TableDef("orders", 0, [new ColumnDef(0, "id", DataType.BigInt.WithNullable(false)), new ColumnDef(1, "day", DataType.String)],
                ["id"], ["day"], new WatermarkDef("day", "day"), new Dictionary<string, string> { ["bucket"] = "3" }, "the orders");
            var created = await catalog.CreateTableAsync(path, def, ifNotExists: false);
            Assert.True(created.IsNative);
            Assert.Equal(3, engine.GetTable(created.TableId)!.Layout.BucketCount);
            await catalog.AddColumnsAsync(path, [new ColumnDef(0, "note", DataType.String)]);
            await catalog.DropTableAsync(path with { Name = "nothing" }, ifExists: true);
            var e = await Assert.ThrowsAsync<TarnException>(() => catalog.CreateTableAsync(path, def, ifNotExists: false));
            Assert.Equal(SqlStates.DuplicateTable, e.SqlState);
        }
        using (var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false }))
        {
            var catalog = new CatalogManager(engine);
            var table = catalog.FindTable(path)!;
            Assert.Equal(["id", "day", "note"], table.Columns.Select(c => c.Name));
            Assert.Equal([0, 1, 2], table.Columns.Select(c => c.Id));
            Assert.Equal(["id"], table.PrimaryKey);
            Assert.Equal(["day"], table.PartitionKeys);
            Assert.Equal("the orders", table.Comment);
            Assert.Equal("3", table.Options["bucket"]);
            Assert.Equal("sales data", catalog.FindDatabase("default_catalog", "sales")!.Comment);
            var layout = engine.GetTable(table.TableId)!.Layout;
            Assert.Equal(3, layout.Schema.Count);
            await catalog.DropDatabaseAsync("default_catalog", "sales", ifExists: false, cascade: true);
            Assert.Null(engine.GetTable(table.TableId));
        }
    }

    [Fact]
    public async Task Not_null_columns_cannot_be_added_to_native_tables()
    {
        using var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false });
        var catalog = new CatalogManager(engine);
        var path = new ObjectPath("default_catalog", "default_database", "t");
        await catalog.CreateTableAsync(path, new TableDef("t", 0, [new ColumnDef(0, "a", DataType.Int)], [], [], null, new Dictionary<string, string>(), null), false);
        var e = await Assert.ThrowsAsync<TarnException>(() => catalog.AddColumnsAsync(path, [new ColumnDef(0, "b", DataType.Int.WithNullable(false))]));
        Assert.Equal(SqlStates.NotNullViolation, e.SqlState);
    }
}
