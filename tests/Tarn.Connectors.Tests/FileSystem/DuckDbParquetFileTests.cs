using Tarn.Connectors.FileSystem;
using Tarn.Types;

namespace Tarn.Connectors.Tests.FileSystem;

/// <summary>A Parquet file DuckDB wrote (Fixtures/README.md says how), read with every Tarn type.</summary>
public class DuckDbParquetFileTests
{
    // Copied next to the test assembly: CI builds map source paths (/_/...), so the source file's path is not a real one.
    private static string Fixture() => Path.Combine(AppContext.BaseDirectory, "FileSystem", "Fixtures", "duckdb_all_types.parquet");

    [Fact]
    public void Every_column_of_duckdbs_file_reads_into_the_matching_tarn_type()
    {
        (string Name, DataType Type)[] columns =
        [
            ("id", DataType.Int), ("b", DataType.Boolean), ("ti", DataType.TinyInt), ("si", DataType.SmallInt), ("i", DataType.Int),
            ("bi", DataType.BigInt), ("f", DataType.Float), ("d", DataType.Double), ("dec", DataType.Decimal(10, 2)), ("wide", DataType.Decimal(38, 10)),
            ("s", DataType.String), ("bin", DataType.Bytes), ("dt", DataType.Date), ("tm", DataType.Time(3)), ("ts", DataType.Timestamp(6)),
            ("ts_ms", DataType.Timestamp(3)), ("tstz", DataType.TimestampLtz(6)), ("u8", DataType.SmallInt), ("req", DataType.String),
        ];
        using var reader = new ParquetBatchReader(File.OpenRead(Fixture()), "duckdb.parquet", [.. columns.Select(c => c.Name)], [.. columns.Select(c => c.Type)], TimeZoneInfo.Utc);
        var batches = new List<Tarn.Vectors.ColumnBatch>();
        while (reader.ReadBatch(10) is { } batch) batches.Add(batch);
        var rows = FileFormatRoundTripTests.Texts(batches);
        Assert.Equal<string?[]>(
        [
            ["1", "TRUE", "1", "2", "3", "4000000000", "1.5", "2.25", "12.34", "123456789.0123456789", "héllo", "x'0a0b'", "2024-02-29", "12:34:56.789",
                "2024-01-01 10:00:00.123456", "2024-01-01 10:00:00.123", "2024-01-01 10:00:00.000000", "200", "a"],
            ["2", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, "b"],
            ["3", "FALSE", "-128", "-32768", "-2147483648", "-9223372036854775808", "NaN", "-1.0E300", "-99999999.99", "-0.0000000001", "", "x''", "1900-01-01", "00:00:00.000",
                "1969-12-31 23:59:59.999999", "1970-01-01 00:00:00.000", "2000-06-30 23:00:00.000000", "0", "c"],
        ], rows);
    }
}
