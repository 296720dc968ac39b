namespace Tarn.Tests.Tpch;

/// <summary>One database with TPC-H sf0.01 loaded, shared by the tests of a class.</summary>
public sealed class TpchFixture : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-tpch-" + Guid.NewGuid().ToString("N")[..10]);

    public TarnDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TarnDatabase.OpenAsync(_dir);
        await TpchData.LoadAsync(Db, TpchData.DataDir());
    }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
