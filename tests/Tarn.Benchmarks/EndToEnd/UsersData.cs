namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// The issue's <c>users</c> table: 100,000 rows (id 0..99,999, name, age 18–80, country one of 20), derived from the
/// id alone so both engines load the same rows.
/// </summary>
internal static class UsersData
{
    public const int Count = 100_000;

    private static readonly string[] Countries =
        ["US", "DE", "FR", "GB", "JP", "CN", "IN", "BR", "CA", "AU", "IT", "ES", "NL", "SE", "PL", "KR", "MX", "AR", "ZA", "NG"];

    public static void Row(int id, out string name, out int age, out string country)
    {
        var h = (uint)id * 2654435761u;
        name = "user" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        age = 18 + (int)(h % 63);
        country = Countries[(h >> 8) % 20];
    }
}
