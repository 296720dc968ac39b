using CsCheck;

namespace Tarn.State.Tests;

public sealed class PrefixScanTests
{
    private static byte[] Key(byte space, int i) => [space, .. TestOptions.Key(i)];

    [Fact]
    [Trait("Spec", "STATE-012")]
    public void A_scan_returns_each_live_key_of_the_prefix_once_with_its_current_value()
    {
        // Random writes and deletes over three namespaces, some overwritten after they left memory.
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 400], Gen.Int[0, 3], Gen.Int[0, 200]).Array[1, 3000].Sample(ops =>
        {
            using var dir = new TempDirectory();
            using var store = StateStore.Open(TestOptions.Small(dir.Path));
            using var session = store.NewSession();
            var model = new Dictionary<string, byte[]>();
            foreach (var (space, i, kind, length) in ops)
            {
                var key = Key((byte)space, i);
                if (kind == 0)
                {
                    session.Delete(key);
                    model.Remove(Convert.ToHexString(key));
                }
                else
                {
                    var value = TestOptions.Value(i + kind, length);
                    session.Upsert(key, value);
                    model[Convert.ToHexString(key)] = value;
                }
            }
            for (byte space = 0; space < 3; space++)
            {
                var scanned = TestOptions.ScanAll(session, [space]);
                var expected = model.Where(e => e.Key.StartsWith(Convert.ToHexString([space]), StringComparison.Ordinal)).ToDictionary();
                Assert.Equal(expected.Count, scanned.Count);
                foreach (var (key, value) in expected)
                    Assert.Equal(value, scanned[key]);
            }
        }, iter: 25, threads: 2);
    }

    [Fact]
    [Trait("Spec", "STATE-012")]
    public void Deleting_returned_keys_during_a_scan_is_allowed()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        for (var i = 0; i < 4000; i++)
            session.Upsert(Key(1, i), TestOptions.Value(i, 50));
        session.Upsert(Key(2, 0), [2]);

        var seen = 0;
        using (var scan = session.ScanPrefix([1]))
        {
            while (scan.MoveNext())
            {
                seen++;
                if (scan.Value[0] % 2 == 0) // "expired"
                    session.Delete(scan.Key);
            }
        }
        Assert.Equal(4000, seen);
        var left = TestOptions.ScanAll(session, [1]);
        Assert.Equal(Enumerable.Range(0, 4000).Count(i => TestOptions.Value(i, 50)[0] % 2 == 1), left.Count);
        Assert.All(left.Values, v => Assert.Equal(1, v[0] % 2));
        Assert.Single(TestOptions.ScanAll(session, [2]));
    }

    [Fact]
    [Trait("Spec", "STATE-012")]
    public void Keys_deleted_during_a_scan_before_it_reaches_them_are_not_returned()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        for (var i = 0; i < 3000; i++)
            session.Upsert(Key(1, i), TestOptions.Value(i, 50)); // spans many lookup batches, partly on disk

        var returned = new List<byte[]>();
        using (var scan = session.ScanPrefix([1]))
        {
            while (scan.MoveNext())
            {
                returned.Add(scan.Key.ToArray());
                if (returned.Count == 1)
                {
                    for (var i = 0; i < 3000; i++)
                    {
                        if (!Key(1, i).AsSpan().SequenceEqual(scan.Key))
                            session.Delete(Key(1, i));
                    }
                }
            }
        }
        Assert.Single(returned);
        Assert.Equal(returned, TestOptions.ScanAll(session, [1]).Keys.Select(Convert.FromHexString));
    }

    [Fact]
    public void The_scan_position_is_checked()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        var scan = session.ScanPrefix([]);
        Assert.Throws<InvalidOperationException>(() => scan.Key.Length);
        Assert.False(scan.MoveNext());
        scan.Dispose();
        Assert.Throws<ObjectDisposedException>(() => scan.MoveNext());
    }
}
