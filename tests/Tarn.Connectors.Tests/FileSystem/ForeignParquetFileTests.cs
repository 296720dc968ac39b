using Parquet;
using Parquet.Schema;
using Tarn.Connectors.FileSystem;
using Tarn.Types;

namespace Tarn.Connectors.Tests.FileSystem;

/// <summary>
/// Parquet files written by other tools (here with Parquet.Net's own API, using the physical layouts DuckDB, Spark
/// and Hive choose) read into the table's column types.
/// </summary>
public class ForeignParquetFileTests
{
    private static async Task<byte[]> WriteAsync(ParquetSchema schema, Func<ParquetRowGroupWriter, Task> writeColumns, int rowGroups = 1)
    {
        var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }))
        {
            for (var g = 0; g < rowGroups; g++)
            {
                using var group = writer.CreateRowGroup();
                await writeColumns(group);
            }
        }
        return stream.ToArray();
    }

    private static List<string?[]> Read(byte[] bytes, string[] names, DataType[] types)
    {
        using var reader = new ParquetBatchReader(new MemoryStream(bytes), "foreign.parquet", names, types, TimeZoneInfo.Utc);
        var batches = new List<Tarn.Vectors.ColumnBatch>();
        while (reader.ReadBatch(3) is { } batch) batches.Add(batch);
        return FileFormatRoundTripTests.Texts(batches);
    }

    [Fact]
    public async Task Narrower_integers_unsigned_bytes_text_dates_and_millisecond_timestamps_widen_into_the_table_types()
    {
        var id = new DataField<int>("ID", false); // required, upper case
        var small = new DataField<byte>("small", true);
        var day = new DataField<string>("day", true);
        var ts = new DateTimeDataField("ts", DateTimeFormat.Timestamp, false, DateTimeTimeUnit.Millis, true);
        var instant = new DateTimeDataField("instant", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, true);
        var amount = new DecimalDataField("amount", 38, 10, true, true);
        var date = new DataField<DateOnly>("date", true);
        var name = new DataField<string>("name", false);
        var bytes = await WriteAsync(new ParquetSchema(id, small, day, ts, instant, amount, date, name), async group =>
        {
            await group.WriteAsync<int>(id, new[] { 1, 2, 3, 4 });
            await group.WriteAsync<byte>(small, new byte?[] { 255, null, 0, 7 });
            await group.WriteAsync(day, new[] { "2024-01-02", null, "1999-12-31", "2000-02-29" });
            await group.WriteAsync<DateTime>(ts, new DateTime?[] { new DateTime(2024, 1, 2, 3, 4, 5, 678), null, new DateTime(1969, 12, 31, 23, 59, 59), new DateTime(2000, 1, 1) });
            await group.WriteAsync<DateTime>(instant, new DateTime?[] { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), null, null, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            await group.WriteAsync<decimal>(amount, new decimal?[] { 12.5m, -0.0000000001m, null, 123456789012345678m });
            await group.WriteAsync<DateOnly>(date, new DateOnly?[] { new DateOnly(2024, 5, 6), null, new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31) });
            await group.WriteAsync(name, new[] { "a", "", "c", "d" });
        }, rowGroups: 2);
        var rows = Read(bytes,
            ["id", "small", "day", "ts", "instant", "amount", "date", "name"],
            [DataType.BigInt, DataType.SmallInt, DataType.Date, DataType.Timestamp(3), DataType.TimestampLtz(6), DataType.Decimal(30, 10), DataType.Timestamp(0), DataType.String]);
        string?[][] group =
        [
            ["1", "255", "2024-01-02", "2024-01-02 03:04:05.678", "2024-01-02 03:04:05.000000", "12.5000000000", "2024-05-06 00:00:00", "a"],
            ["2", null, null, null, null, "-0.0000000001", null, ""],
            ["3", "0", "1999-12-31", "1969-12-31 23:59:59.000", null, null, "0001-01-01 00:00:00", "c"],
            ["4", "7", "2000-02-29", "2000-01-01 00:00:00.000", "2000-01-01 00:00:00.000000", "123456789012345678.0000000000", "9999-12-31 00:00:00", "d"],
        ];
        Assert.Equal([.. group, .. group], rows);
    }

    [Fact]
    public async Task Values_that_do_not_fit_the_column_are_errors_naming_the_file_and_column()
    {
        var big = new DataField<long>("big", true);
        var text = new DataField<string>("text", true);
        var bytes = await WriteAsync(new ParquetSchema(big, text), async group =>
        {
            await group.WriteAsync<long>(big, new long?[] { 1, 5_000_000_000 });
            await group.WriteAsync(text, new[] { "12", "twelve" });
        });
        var range = Assert.Throws<TarnException>(() => Read(bytes, ["big"], [DataType.Int]));
        Assert.Equal(SqlStates.NumericValueOutOfRange, range.SqlState);
        Assert.Contains("foreign.parquet: parquet column 'big'", range.Message, StringComparison.Ordinal);
        var invalid = Assert.Throws<TarnException>(() => Read(bytes, ["text"], [DataType.Int]));
        Assert.Equal(SqlStates.InvalidTextRepresentation, invalid.SqlState);
        Assert.Contains("'twelve'", invalid.Message, StringComparison.Ordinal);
        var notParquet = Assert.Throws<TarnException>(() => Read("a,b\n1,2\n"u8.ToArray(), ["a"], [DataType.Int]));
        Assert.Equal(SqlStates.InvalidTextRepresentation, notParquet.SqlState);
    }
}
