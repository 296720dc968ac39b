using System.Globalization;
using CsCheck;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// Random rows of every type (with NULLs, awkward strings, extreme values) survive binary import, then text and csv
/// export and re-import, then binary export unchanged.
/// </summary>
public sealed class PgCopyPropertyTests
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "\t", "\n", "\r", "\r\n", "\\", "\\N", "\\.", "\"", ",", ";", "'", "é", "€", "😀", "NULL", ""];

    private static readonly Gen<object?[]> Row = Gen.Select(
        Gen.Select(Gen.Short.Nullable(), Gen.Int.Nullable(), Gen.Long.Nullable(), Gen.Float.Nullable(), Gen.Double.Nullable(), Gen.Long[-99_999_999_999_999, 99_999_999_999_999].Nullable(), Gen.Select(Gen.Long, Gen.Int[0, 999_999]).Nullable()),
        Gen.Select(Gen.Bool.Nullable(), Gen.OneOf(Pieces).Array[0, 6].Select(p => string.Concat(p)).Null(), Gen.Byte.Array[0, 12].Null(), Gen.Int[0, 3_652_058].Nullable(),
            Gen.Long[0, 86_399_999_999].Nullable(), Gen.Long[0, DateTime.MaxValue.Ticks / 10].Nullable(), Gen.Long[0, DateTime.MaxValue.Ticks / 10].Nullable()),
        (a, b) => new object?[]
        {
            a.Item1, a.Item2, a.Item3, a.Item4, a.Item5,
            a.Item6 is { } n ? n / 10_000m + 0.0000m : null,
            a.Item7 is var (whole, fraction) ? whole + fraction / 1_000_000m + 0.000000m : null,
            b.Item1, b.Item2, b.Item3,
            b.Item4 is { } day ? DateOnly.FromDayNumber(day) : null,
            b.Item5 is { } time ? new TimeOnly(time * 10) : null,
            b.Item6 is { } ts ? new DateTime(ts * 10, DateTimeKind.Unspecified) : null,
            b.Item7 is { } tz ? new DateTime(tz * 10, DateTimeKind.Utc) : null,
        });

    [Fact]
    public async Task ImportThenExportEqualsInputInEveryFormat()
    {
        await using var server = new PgServerFixture();
        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        var round = 0;
        Row.List[0, 30].Sample(rows =>
        {
            var n = ++round;
            foreach (var name in (string[])["b", "t", "c"]) PgCopyTests.ExecAsync(conn, $"CREATE TABLE {name}{n} {PgCopyTests.AllTypesColumns}").GetAwaiter().GetResult();
            Assert.Equal((ulong)rows.Count, PgCopyRows.BinaryImportAsync(conn, "b" + n, rows).GetAwaiter().GetResult());
            Transfer(conn, $"COPY b{n} TO STDOUT", $"COPY t{n} FROM STDIN");
            Transfer(conn, $"COPY b{n} TO STDOUT WITH (FORMAT csv, HEADER)", $"COPY c{n} FROM STDIN WITH (FORMAT csv, HEADER)");
            var expected = Sorted(rows);
            foreach (var name in (string[])["b", "t", "c"])
            {
                var exported = PgCopyRows.BinaryExportAsync(conn, $"COPY {name}{n} TO STDOUT (FORMAT binary)").GetAwaiter().GetResult();
                Assert.Equal(expected, Sorted(exported));
            }
        }, iter: 12, threads: 1);
    }

    private static void Transfer(NpgsqlConnection conn, string export, string import)
    {
        string text;
        using (var reader = conn.BeginTextExport(export)) text = reader.ReadToEnd();
        using var writer = conn.BeginTextImport(import);
        writer.Write(text);
    }

    private static List<string> Sorted(IEnumerable<object?[]> rows)
    {
        var keys = rows.Select(r => string.Join("|", r.Select(Key))).ToList();
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static string Key(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => "'" + value + "'",
    };
}
