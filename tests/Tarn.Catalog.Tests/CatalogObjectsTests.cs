using CsCheck;
using Tarn.Catalog.Model;
using Tarn.Storage.Engine;
using Tarn.Types;

namespace Tarn.Catalog.Tests;

/// <summary>Catalog image version 3: macros, sequences and column collations; sequence values across reopen.</summary>
public sealed class CatalogObjectsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-catobj-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly Gen<string> GenName = Gen.String[Gen.Char['a', 'z'], 1, 8];

    private static readonly Gen<MacroDef> GenMacro =
        Gen.Select(GenName, GenName.List[0, 3], GenName).Select((n, ps, body) => new MacroDef(n, ps, body + " + 1"));

    private static readonly Gen<SequenceDef> GenSequence =
        Gen.Select(GenName, Gen.Long, Gen.Long[-5, 5], Gen.Long, Gen.Bool, Gen.Long, Gen.Bool)
            .Select((n, start, inc, min, cycle, next, exhausted) => new SequenceDef(n, start, inc == 0 ? 1 : inc, Math.Min(min, long.MaxValue - 1), long.MaxValue, cycle, next, exhausted));

    private static DatabaseDef Database(IReadOnlyList<TableDef> tables) => new("db", null, new Dictionary<string, string>(), tables, []);

    private static CatalogImage Image(DatabaseDef db) => new([new CatalogDef("cat", new Dictionary<string, string>(), [db])]);

    private static TableDef Table(DataType type, string? @default = null) =>
        new("t", 7, [new ColumnDef(0, "a", type, DefaultExpression: @default)], [], [], null, new Dictionary<string, string>(), null);

    [Fact]
    [Trait("Spec", "CAT-002")]
    public void Version_3_is_written_only_for_macros_sequences_or_collations()
    {
        Assert.Equal(1, CatalogCodec.Encode(Image(Database([Table(DataType.String)])))[0]);
        Assert.Equal(2, CatalogCodec.Encode(Image(Database([Table(DataType.String, "'x'")])))[0]);
        Assert.Equal(3, CatalogCodec.Encode(Image(Database([Table(DataType.String.WithCollation("NOCASE"))])))[0]);
        Assert.Equal(3, CatalogCodec.Encode(Image(Database([]) with { Macros = [new MacroDef("f", ["x"], "x")] }))[0]);
        Assert.Equal(3, CatalogCodec.Encode(Image(Database([]) with { Sequences = [new SequenceDef("s", 1, 1, 1, 9, false, 1, false)] }))[0]);
        // Older images still decode, with no macros, sequences or collations.
        var v2 = CatalogCodec.Decode(CatalogCodec.Encode(Image(Database([Table(DataType.String, "'x'")]))), "test").Catalogs[0].Databases[0];
        Assert.Empty(v2.Macros);
        Assert.Empty(v2.Sequences);
        Assert.Null(v2.Tables[0].Columns[0].Type.Collation);
        Assert.Equal("'x'", v2.Tables[0].Columns[0].DefaultExpression);
    }

    [Fact]
    [Trait("Spec", "CAT-003")]
    public void Macros_sequences_and_collations_round_trip()
    {
        Gen.Select(GenMacro.List[0, 4], GenSequence.List[0, 4], Gen.Bool, Gen.Bool).Sample((macros, sequences, collated, withDefault) =>
        {
            var type = collated ? DataType.Varchar(10).WithCollation("NOCASE") : DataType.Varchar(10);
            var db = Database([Table(type, withDefault ? "'d'" : null)]) with { Macros = macros, Sequences = sequences };
            var back = CatalogCodec.Decode(CatalogCodec.Encode(Image(db)), "test").Catalogs[0].Databases[0];
            Assert.Equal(macros.Count, back.Macros.Count);
            for (var i = 0; i < macros.Count; i++)
            {
                Assert.Equal(macros[i].Name, back.Macros[i].Name);
                Assert.Equal(macros[i].Parameters, back.Macros[i].Parameters);
                Assert.Equal(macros[i].Body, back.Macros[i].Body);
            }
            Assert.Equal(sequences, back.Sequences);
            Assert.Equal(type.Collation, back.Tables[0].Columns[0].Type.Collation);
            Assert.Equal(withDefault ? "'d'" : null, back.Tables[0].Columns[0].DefaultExpression);
        });
    }

    [Fact]
    [Trait("Spec", "CAT-004")]
    public async Task Sequence_values_are_never_handed_out_twice_across_reopens()
    {
        var path = new ObjectPath("default_catalog", "default_database", "s");
        var seen = new HashSet<long>();
        var last = 0L;
        for (var round = 0; round < 3; round++)
        {
            using var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false });
            var catalog = new CatalogManager(engine);
            if (round == 0) await catalog.CreateSequenceAsync(path, new SequenceDef("s", 1, 1, 1, long.MaxValue, false, 1, false), false, false);
            var imagesBefore = catalog.Current;
            for (var i = 0; i < 5 + round * CatalogManager.MaxSequenceBlock; i++)
            {
                var v = catalog.NextSequenceValue(path);
                Assert.True(seen.Add(v), $"value {v} handed out twice");
                Assert.True(v > last);
                last = v;
            }
            Assert.NotSame(imagesBefore, catalog.Current); // the first value of a process reserves a block
        }
    }

    [Fact]
    public async Task Concurrent_nextval_calls_get_distinct_values_and_reserve_blocks()
    {
        using var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false });
        var catalog = new CatalogManager(engine);
        var path = new ObjectPath("default_catalog", "default_database", "c");
        await catalog.CreateSequenceAsync(path, new SequenceDef("c", 10, 10, 1, long.MaxValue, false, 10, false), false, false);
        const int perThread = 100;
        var values = new long[4][];
        Parallel.For(0, 4, t =>
        {
            values[t] = new long[perThread];
            for (var i = 0; i < perThread; i++) values[t][i] = catalog.NextSequenceValue(path);
        });
        var all = values.SelectMany(v => v).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 4 * perThread).Select(i => i * 10L), all);
        // 400 values take blocks of 32, 64, 128 and 256 (each one doubles): the image says where the next block starts.
        Assert.Equal(10L + (32 + 64 + 128 + 256) * 10, catalog.FindSequence(path)!.Next);
    }

    [Fact]
    public async Task A_sequence_without_cycle_ends_and_a_dropped_one_is_gone()
    {
        using var engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false });
        var catalog = new CatalogManager(engine);
        var path = new ObjectPath("default_catalog", "default_database", "short");
        await catalog.CreateSequenceAsync(path, new SequenceDef("short", 1, 1, 1, 3, false, 1, false), false, false);
        Assert.Equal([1L, 2, 3], [catalog.NextSequenceValue(path), catalog.NextSequenceValue(path), catalog.NextSequenceValue(path)]);
        Assert.Equal(SqlStates.SequenceGeneratorLimitExceeded, Assert.Throws<TarnException>(() => catalog.NextSequenceValue(path)).SqlState);
        await catalog.DropSequenceAsync(path, ifExists: false);
        Assert.Equal(SqlStates.UndefinedTable, Assert.Throws<TarnException>(() => catalog.NextSequenceValue(path)).SqlState);
        // Re-created under the same name, it starts afresh (the old reserved block is not reused).
        await catalog.CreateSequenceAsync(path, new SequenceDef("short", 1, 1, 1, 3, false, 1, false), false, false);
        Assert.Equal(1, catalog.NextSequenceValue(path));
    }
}
