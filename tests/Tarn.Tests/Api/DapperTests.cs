using Dapper;
using Tarn.Data;

namespace Tarn.Tests.Api;

/// <summary>The ADO.NET provider is complete enough for Dapper, the most common ADO.NET tool.</summary>
public sealed class DapperTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-dapper-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    public sealed class Product
    {
        public long Id { get; set; }
        public string? Name { get; set; }
        public decimal Price { get; set; }
    }

    [Fact]
    public async Task Dapper_executes_and_maps_with_anonymous_parameters()
    {
        await using var conn = new TarnConnection($"Data Source={_dir}");
        await conn.OpenAsync();
        await conn.ExecuteAsync("CREATE TABLE products (id BIGINT, name STRING, price DECIMAL(10, 2))");
        var n = await conn.ExecuteAsync("INSERT INTO products VALUES (@Id, @Name, @Price)",
            new[] { new { Id = 1L, Name = "tea", Price = 3.50m }, new { Id = 2L, Name = "coffee", Price = 4.25m } });
        Assert.Equal(2, n);
        var products = (await conn.QueryAsync<Product>("SELECT id, name, price FROM products WHERE price > @min ORDER BY id", new { min = 1m })).ToList();
        Assert.Equal(["tea", "coffee"], products.Select(p => p.Name));
        Assert.Equal(4.25m, products[1].Price);
        Assert.Equal(2L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM products"));
    }
}
