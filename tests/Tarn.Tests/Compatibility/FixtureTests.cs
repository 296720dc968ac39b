namespace Tarn.Tests.Compatibility;

/// <summary>
/// Opens the database each storage format version wrote (tests/fixtures/storage/vN, made by make-vN.sql) and checks
/// its contents. Fixtures are never regenerated: this test must pass for every version, forever.
/// </summary>
public class FixtureTests
{
    private static string FixtureRoot => Path.Combine(AppContext.BaseDirectory, "fixtures", "storage");

    private static string CopyToTemp(string version)
    {
        var source = Path.Combine(FixtureRoot, version);
        var target = Path.Combine(Path.GetTempPath(), $"tarn-fixture-{version}-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        return target;
    }

    [Fact]
    [Trait("Spec", "VER-002")]
    public void Version_1_fixture_opens_with_all_its_data()
    {
        var dir = CopyToTemp("v1");
        try
        {
            using var db = TarnDatabase.Open(dir);
            var rows = db.Execute("SELECT id, user_id, amount, status, ts_day, note FROM shop.orders ORDER BY id").Rows.ToList();
            Assert.Equal([1L, 2L, 3L, 101L, 102L, 103L, 200L, 201L], rows.Select(r => (long)r[0]!));
            Assert.Equal(12.50m, rows[0][2]);
            Assert.Equal(25.00m, rows[3][2]);
            Assert.Equal("paid", rows[0][3]);
            Assert.Null(rows[2][1]);
            Assert.Equal("after alter", rows[6][5]);
            Assert.Equal("inline", rows[7][5]);
            Assert.Null(rows[0][5]);

            var ts = db.Execute("SELECT ts, d, flag, raw FROM shop.orders WHERE id = 1").Rows.Single();
            Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0).AddTicks(1234560), ts[0]);
            Assert.Equal(new DateOnly(2024, 1, 1), ts[1]);
            Assert.Equal(true, ts[2]);
            Assert.Equal(new byte[] { 0x01, 0xFF }, ts[3]);

            Assert.Equal(3L, db.Execute("SELECT count(*) FROM shop.orders /*+ OPTIONS('scan.snapshot-id'='1') */").GetValue(0, 0));
            Assert.Equal(2, db.Execute("SELECT * FROM shop.paid").RowCount);
            Assert.Equal(["events", "orders", "paid"], db.Execute("SHOW TABLES FROM shop").Rows.Select(r => (string)r[0]!));

            // The fixture stays writable.
            db.Execute("INSERT INTO shop.orders (id, ts_day) VALUES (300, '2024-01-05')");
            Assert.Equal(9L, db.Execute("SELECT count(*) FROM shop.orders").GetValue(0, 0));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    [Trait("Spec", "VER-002")]
    [Trait("Spec", "SEG-021")]
    [Trait("Spec", "CAT-005")]
    public void Version_2_fixture_with_array_columns_opens_with_all_its_data()
    {
        var dir = CopyToTemp("v2");
        try
        {
            using var db = TarnDatabase.Open(dir);
            var rows = db.Execute("SELECT k, ints, names, nested, label FROM lists ORDER BY k").Rows.ToList();
            Assert.Equal([1, 2, 3], rows.Select(r => (int)r[0]!));
            Assert.Equal(new object?[] { 1, 2, null }, (object?[])rows[0][1]!);
            Assert.Equal(new object?[] { "a", "b" }, (object?[])rows[0][2]!);
            var nested = (object?[])rows[0][3]!;
            Assert.Equal(new object?[] { 1L }, (object?[])nested[0]!);
            Assert.Empty((object?[])nested[1]!);
            Assert.Null(nested[2]);
            Assert.Empty((object?[])rows[1][1]!);
            Assert.Null(rows[1][2]);
            Assert.Equal(new object?[] { "x\0y" }, (object?[])rows[2][2]!);
            Assert.Equal("segment", db.Execute("SELECT label FROM lists WHERE ints = [1, 2, NULL]").GetValue(0, 0));

            // The fixture stays writable.
            db.Execute("INSERT INTO lists VALUES (4, [4], ['d'], [[4]], 'new')");
            Assert.Equal(4L, db.Execute("SELECT count(DISTINCT ints) FROM lists").GetValue(0, 0));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    [Trait("Spec", "VER-002")]
    [Trait("Spec", "MAN-004")]
    [Trait("Spec", "CAT-009")]
    [Trait("Spec", "CAT-010")]
    [Trait("Spec", "JOB-001")]
    public async Task Version_3_fixture_with_a_job_a_user_and_a_subscription_opens_and_the_job_resumes()
    {
        var manifest = Directory.GetFiles(Path.Combine(FixtureRoot, "v3", "manifest")).Single();
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(manifest).AsSpan(8, 2)));
        var dir = CopyToTemp("v3");
        try
        {
            using var db = TarnDatabase.Open(dir);
            await db.WaitForJobsAsync();
            var job = db.Execute("SHOW JOBS").Rows.Single();
            Assert.Equal("RUNNING", job[2]);
            Assert.Equal("1|10\n1|5\n2|20", Sorted(db.Execute("SELECT k, v FROM copy")));
            Assert.Contains(db.Execute("SHOW USERS").Rows, r => (string?)r[0] == "alice");
            Assert.Contains(db.Execute("SHOW SUBSCRIPTIONS").Rows, r => (string?)r[0] == "src_changes");
            using (var alice = db.CreateSession(new TarnPrincipal("alice")))
            {
                Assert.Equal(3L, (await alice.ExecuteAsync("SELECT count(*) FROM src")).Rows.Single()[0]);
                await Assert.ThrowsAsync<TarnException>(() => alice.ExecuteAsync("SELECT * FROM copy"));
            }

            // The job resumed: new rows reach its sink.
            db.Execute("INSERT INTO src VALUES (3, 30)");
            await db.WaitForJobsAsync();
            Assert.Equal("1|10\n1|5\n2|20\n3|30", Sorted(db.Execute("SELECT k, v FROM copy")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Databases whose catalog image has an older version than current code writes for everything: each opens with
    /// its image version unchanged (nothing is rewritten by opening) and its contents intact.
    /// </summary>
    [Theory]
    [Trait("Spec", "CAT-002")]
    [InlineData("catalog-3", 3)]
    [InlineData("catalog-5", 5)]
    [InlineData("catalog-6", 6)]
    public void Catalog_image_fixtures_open_with_their_contents(string fixture, int imageVersion)
    {
        var dir = CopyToTemp(fixture);
        try
        {
            using var db = TarnDatabase.Open(dir);
            Assert.Equal(imageVersion, db.Core.Storage.Current.CatalogImage.Span[0]);
            switch (imageVersion)
            {
                case 3:
                    Assert.Equal("100|Alice\n101|bob", Sorted(db.Execute("SELECT id, name FROM names")));
                    Assert.Equal("Alice", db.Execute("SELECT name FROM names WHERE name = 'ALICE'").GetValue(0, 0)); // NOCASE
                    Assert.Equal(200L, Convert.ToInt64(db.Execute("SELECT twice(id) FROM names WHERE id = 100").GetValue(0, 0), System.Globalization.CultureInfo.InvariantCulture));
                    // A sequence continues after the values it had reserved (CAT-004), never reusing one.
                    Assert.True(Convert.ToInt64(db.Execute("SELECT nextval('ids')").GetValue(0, 0), System.Globalization.CultureInfo.InvariantCulture) > 101);
                    break;
                case 5:
                    Assert.Contains("ROW", string.Join(" ", db.Execute("DESCRIBE events").Rows.Select(r => r[1]?.ToString())), StringComparison.Ordinal);
                    Assert.Equal("1\n2", Sorted(db.Execute("SELECT id FROM plain")));
                    break;
                default:
                    Assert.Equal("7", Sorted(db.Execute("SELECT id FROM t")));
                    Assert.Contains(db.Execute("SHOW USERS").Rows, r => (string?)r[0] == "carol");
                    using (var carol = db.CreateSession(new TarnPrincipal("carol")))
                        Assert.True(carol.HasTablePrivilege("t", Catalog.Model.TablePrivileges.Insert));
                    break;
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string Sorted(TarnResult result) =>
        string.Join("\n", result.Rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"))).Order(StringComparer.Ordinal));
}
