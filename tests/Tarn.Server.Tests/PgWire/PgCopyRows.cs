using Npgsql;
using NpgsqlTypes;

namespace Tarn.Server.Tests.PgWire;

/// <summary>Rows of the all-types table (see <see cref="PgCopyTests.AllTypesColumns"/>) as CLR values, written and read with Npgsql's binary COPY.</summary>
internal static class PgCopyRows
{
    public static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Smallint, NpgsqlDbType.Integer, NpgsqlDbType.Bigint, NpgsqlDbType.Real, NpgsqlDbType.Double, NpgsqlDbType.Numeric,
        NpgsqlDbType.Numeric, NpgsqlDbType.Boolean, NpgsqlDbType.Text, NpgsqlDbType.Bytea, NpgsqlDbType.Date, NpgsqlDbType.Time,
        NpgsqlDbType.Timestamp, NpgsqlDbType.TimestampTz,
    ];

    public static object?[] Sample() =>
    [
        (short)-7, 123456, 9_000_000_000L, 1.5f, -2.25e300, 12.3456m, -123456789012345678.123456m, true, "tab\there, \"q\" \\ é€😀",
        new byte[] { 0, 1, 0xff }, new DateOnly(2024, 2, 29), new TimeOnly(13, 14, 15, 123, 456),
        new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Unspecified).AddTicks(1234560),
        new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9999990),
    ];

    public static object?[] AllNull() => new object?[Types.Length];

    public static async Task<ulong> BinaryImportAsync(NpgsqlConnection conn, string table, IEnumerable<object?[]> rows)
    {
        await using var importer = await conn.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            for (var c = 0; c < Types.Length; c++)
            {
                if (row[c] is null) await importer.WriteNullAsync();
                else await importer.WriteAsync(row[c], Types[c]);
            }
        }
        return await importer.CompleteAsync();
    }

    public static async Task<List<object?[]>> BinaryExportAsync(NpgsqlConnection conn, string copy)
    {
        var rows = new List<object?[]>();
        await using var exporter = await conn.BeginBinaryExportAsync(copy);
        while (await exporter.StartRowAsync() >= 0)
        {
            var row = new object?[Types.Length];
            for (var c = 0; c < Types.Length; c++)
            {
                if (exporter.IsNull) { await exporter.SkipAsync(); continue; }
                row[c] = c switch
                {
                    0 => await exporter.ReadAsync<short>(Types[c]),
                    1 => await exporter.ReadAsync<int>(Types[c]),
                    2 => await exporter.ReadAsync<long>(Types[c]),
                    3 => await exporter.ReadAsync<float>(Types[c]),
                    4 => await exporter.ReadAsync<double>(Types[c]),
                    5 or 6 => await exporter.ReadAsync<decimal>(Types[c]),
                    7 => await exporter.ReadAsync<bool>(Types[c]),
                    8 => await exporter.ReadAsync<string>(Types[c]),
                    9 => await exporter.ReadAsync<byte[]>(Types[c]),
                    10 => await exporter.ReadAsync<DateOnly>(Types[c]),
                    11 => await exporter.ReadAsync<TimeOnly>(Types[c]),
                    _ => await exporter.ReadAsync<DateTime>(Types[c]),
                };
            }
            rows.Add(row);
        }
        return rows;
    }
}
