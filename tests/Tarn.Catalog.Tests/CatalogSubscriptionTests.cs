using CsCheck;
using Tarn.Catalog.Model;
using Tarn.Storage.Engine;
using Tarn.Types;

namespace Tarn.Catalog.Tests;

public sealed class CatalogSubscriptionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-catsub-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly Gen<string> Names = Gen.String[Gen.Char["abcXYZ_é1"], 1, 8];

    private static readonly Gen<SubscriptionDef> Subscriptions =
        Gen.Select(Names, Names, Names, Gen.Long[1, long.MaxValue], Gen.Long[0, long.MaxValue], Gen.Long,
            (c, d, n, table, retention, created) => new SubscriptionDef(new ObjectPath(c, d, n), table, retention, created));

    /// <summary>
    /// The bytes of a version-7 image with one subscription, as written when the version was introduced: the fixture
    /// keeps the layout from drifting (CAT-010). An empty catalog list, no users or grants, then the subscription.
    /// </summary>
    private const string Version7Fixture = "07" + "00" + "00" + "00" + "01"
        + "01" + "63" + "01" + "64" + "03" + "737562" // catalog "c", database "d", name "sub"
        + "2A" // table id 42
        + "80DDDB01" // retention 3 600 000 ms
        + "D00F"; // created 1000 µs (zig-zag)

    [Fact]
    [Trait("Spec", "CAT-010")]
    public void Subscriptions_round_trip_in_image_version_7()
    {
        Gen.Select(Subscriptions.List[0, 4], Gen.Bool).Sample((subscriptions, withUser) =>
        {
            var security = withUser ? new SecurityDef([new UserDef("u", false, new ScramVerifier([1], 1, new byte[32], new byte[32]))], []) : SecurityDef.Empty;
            var image = CatalogImage.Initial with { Security = security, Subscriptions = subscriptions };
            var bytes = CatalogCodec.Encode(image);
            Assert.Equal(subscriptions.Count > 0 ? 7 : withUser ? 6 : 1, bytes[0]);
            var back = CatalogCodec.Decode(bytes, "test");
            Assert.Equal(subscriptions, back.Subscriptions);
            Assert.Equal(security.Users.Count, back.Security.Users.Count);
        });
    }

    [Fact]
    [Trait("Spec", "CAT-010")]
    public void The_version_7_layout_matches_its_fixture()
    {
        var image = new CatalogImage([]) { Subscriptions = [new SubscriptionDef(new ObjectPath("c", "d", "sub"), 42, 3_600_000, 1000)] };
        Assert.Equal(Version7Fixture, Convert.ToHexString(CatalogCodec.Encode(image)));
        var back = CatalogCodec.Decode(Convert.FromHexString(Version7Fixture), "fixture");
        Assert.Equal(image.Subscriptions, back.Subscriptions);
    }

    [Fact]
    [Trait("Spec", "CAT-010")]
    public void A_subscription_naming_table_0_is_corrupt()
    {
        var bytes = Convert.FromHexString(Version7Fixture.Replace("2A80DDDB01", "0080DDDB01", StringComparison.Ordinal));
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => CatalogCodec.Decode(bytes, "bad")).SqlState);
    }

    [Fact]
    [Trait("Spec", "CAT-010")]
    public async Task A_subscription_holds_a_consumer_that_survives_reopening_and_goes_with_the_table()
    {
        var table = new ObjectPath("default_catalog", "default_database", "t");
        var name = new ObjectPath("default_catalog", "default_database", "s");
        long tableId;
        using (var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false }))
        {
            var catalog = new CatalogManager(engine);
            var def = await catalog.CreateTableAsync(table, new TableDef("t", 0, [new ColumnDef(0, "x", DataType.Int)], [], [], null, new Dictionary<string, string>(), null), false);
            tableId = def.TableId;
            var created = await catalog.CreateSubscriptionAsync(name, table, 60_000, 5, ifNotExists: false);
            Assert.Equal(tableId, created.TableId);
            Assert.Same(created, await catalog.CreateSubscriptionAsync(name, table, 1, 6, ifNotExists: true));
            Assert.Equal(SqlStates.DuplicateObject, (await Assert.ThrowsAsync<TarnException>(() => catalog.CreateSubscriptionAsync(name, table, 1, 6, false))).SqlState);
            Assert.Equal(new long[1], engine.GetTable(tableId)!.Consumers[created.ConsumerName].ToArray());
        }
        using (var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false }))
        {
            var catalog = new CatalogManager(engine);
            var s = catalog.FindSubscription(new ObjectPath("DEFAULT_CATALOG", "default_database", "S"));
            Assert.NotNull(s);
            Assert.Equal((name, tableId, 60_000L, 5L), (s.Name, s.TableId, s.RetentionMillis, s.CreatedMicros));
            Assert.Equal(table, catalog.SubscribedTable(s)!.Value.Path);
            Assert.True(engine.GetTable(tableId)!.Consumers.ContainsKey(s.ConsumerName));

            await catalog.DropSubscriptionAsync(name, ifExists: false);
            Assert.False(engine.GetTable(tableId)!.Consumers.ContainsKey(s.ConsumerName));
            await catalog.DropSubscriptionAsync(name, ifExists: true);
            Assert.Equal(SqlStates.UndefinedObject, (await Assert.ThrowsAsync<TarnException>(() => catalog.DropSubscriptionAsync(name, false))).SqlState);

            await catalog.CreateSubscriptionAsync(name, table, 1000, 7, false);
            await catalog.DropTableAsync(table, ifExists: false);
            Assert.Empty(catalog.Current.Subscriptions);
            Assert.Equal(SqlStates.UndefinedTable, (await Assert.ThrowsAsync<TarnException>(() => catalog.CreateSubscriptionAsync(name, table, 1000, 8, false))).SqlState);
        }
    }
}
