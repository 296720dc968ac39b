using Dapper;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Dapper over Npgsql (default type loading): POCO mapping, parameters, QueryFirst and ExecuteScalar.</summary>
public sealed class DapperTests
{
    public sealed class Product
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public decimal Price { get; set; }
        public bool InStock { get; set; }
        public DateTime Added { get; set; }
        public double? Rating { get; set; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QueryMapsRowsToObjectsAndParametersBind(bool prepare)
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare));
        await conn.OpenAsync();
        await conn.ExecuteAsync("CREATE TABLE products (id BIGINT, name STRING, price DECIMAL(10, 2), in_stock BOOLEAN, added TIMESTAMP(6), rating DOUBLE)");
        var inserted = 0;
        for (var i = 1; i <= 3; i++)
            inserted += await conn.ExecuteAsync("INSERT INTO products VALUES (@Id, @Name, @Price, @InStock, @Added, @Rating)",
                new { Id = (long)i, Name = "p" + i, Price = 1.25m * i, InStock = i % 2 == 1, Added = new DateTime(2024, 1, i, 10, 0, 0), Rating = i == 2 ? (double?)null : i * 1.5 });
        Assert.Equal(3, inserted);

        var products = (await conn.QueryAsync<Product>(
            "SELECT id AS Id, name AS Name, price AS Price, in_stock AS InStock, added AS Added, rating AS Rating FROM products WHERE price >= @Min ORDER BY id",
            new { Min = 2.5m })).ToList();
        Assert.Equal([2L, 3L], products.Select(p => p.Id).ToArray());
        Assert.Equal("p2", products[0].Name);
        Assert.Equal(2.50m, products[0].Price);
        Assert.False(products[0].InStock);
        Assert.Equal(new DateTime(2024, 1, 2, 10, 0, 0), products[0].Added);
        Assert.Null(products[0].Rating);
        Assert.Equal(4.5, products[1].Rating);

        var first = await conn.QueryFirstAsync<Product>("SELECT id AS Id, name AS Name FROM products WHERE name = @Name", new { Name = "p3" });
        Assert.Equal(3L, first.Id);
        Assert.Equal(3L, await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products"));
        Assert.Equal("p1", await conn.ExecuteScalarAsync<string>("SELECT name FROM products WHERE id = @Id", new { Id = 1L }));
        Assert.Equal(["id", "name", "price", "in_stock", "added", "rating"],
            (await conn.QueryAsync<string>("SELECT column_name FROM information_schema.columns WHERE table_name = @Table ORDER BY ordinal_position", new { Table = "products" })).ToArray());
    }
}
