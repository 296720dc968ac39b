using System.Data.Common;

namespace Tarn.Tests.Api;

/// <summary>ARRAY values through the .NET API: object?[] results, list parameters, the appender.</summary>
public sealed class ArrayApiTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-arr-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void Arrays_come_back_as_object_arrays_of_the_element_clr_values()
    {
        using var db = TarnDatabase.Open(_dir);
        var row = db.Execute("SELECT [1, NULL, 3], ['a'], [[DATE '2024-01-02'], []], [1.50], CAST(NULL AS BIGINT[])").Rows.Single();
        Assert.Equal(new object?[] { 1, null, 3 }, (object?[])row[0]!);
        Assert.Equal(new object?[] { "a" }, (object?[])row[1]!);
        var nested = (object?[])row[2]!;
        Assert.Equal(new object?[] { new DateOnly(2024, 1, 2) }, (object?[])nested[0]!);
        Assert.Empty((object?[])nested[1]!);
        Assert.Equal(new object?[] { 1.50m }, (object?[])row[3]!);
        Assert.Null(row[4]);
    }

    [Fact]
    public async Task The_data_reader_reports_object_array_for_array_columns()
    {
        await using var connection = new Tarn.Data.TarnConnection($"Data Source={_dir}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (a INT ARRAY)";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "INSERT INTO t VALUES ([7, 8])";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT a FROM t";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(object[]), reader.GetFieldType(0));
        Assert.Equal("ARRAY<INT>", reader.GetDataTypeName(0));
        Assert.Equal(new object?[] { 7, 8 }, (object?[])reader.GetValue(0));
    }

    [Fact]
    public void List_parameters_bind_as_arrays()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, a BIGINT[], s STRING[])");
        db.Execute("INSERT INTO t VALUES (?, ?, ?)", 1, new[] { 1, 2 }, new List<string?> { "x", null });
        db.Execute("INSERT INTO t VALUES (?, ?, ?)", 2, new object?[] { 3L, null }, Array.Empty<string>());
        Assert.Equal(1, db.Execute("SELECT id FROM t WHERE a = ?", new long[] { 1, 2 }).GetValue(0, 0));
        Assert.Equal("[3, NULL]|[]", string.Join('|', db.Execute("SELECT CAST(a AS STRING), CAST(s AS STRING) FROM t WHERE id = 2").Rows.Single()));
        var e = Assert.Throws<TarnException>(() => db.Execute("SELECT ?", (object)new object[] { 1, "x" }));
        Assert.Equal(SqlStates.DatatypeMismatch, e.SqlState);
    }

    [Fact]
    public void The_appender_takes_lists_and_refuses_other_values_for_array_columns()
    {
        using var db = TarnDatabase.Open(_dir);
        db.Execute("CREATE TABLE t (id INT, a INT[])");
        using (var appender = db.CreateAppender("t"))
        {
            appender.Append(1).AppendValue(new object?[] { 5, null }).EndRow();
            appender.Append(2).AppendValue(new List<int> { 6 }).EndRow();
            appender.Flush();
            Assert.Equal(SqlStates.DatatypeMismatch, Assert.Throws<TarnException>(() => appender.Append(3).Append("[1]")).SqlState);
        }
        Assert.Equal("[5, NULL]|[6]", string.Join('|', db.Execute("SELECT CAST(a AS STRING) FROM t ORDER BY id").Rows.Select(r => r[0])));
        using var other = db.CreateAppender("t");
        Assert.Equal(SqlStates.DatatypeMismatch, Assert.Throws<TarnException>(() => other.Append(4).AppendValue(new byte[] { 0xFF })).SqlState);
    }
}
