namespace Tarn.Tests.Differential;

/// <summary>One SQL fragment spelled for both engines: Tarn (Flink dialect) and SQLite.</summary>
internal readonly record struct DiffSql(string Tarn, string Sqlite)
{
    /// <summary>A fragment both engines spell the same way.</summary>
    public static DiffSql Same(string sql) => new(sql, sql);

    /// <summary>Concatenates fragments and plain text: strings are shared, <see cref="DiffSql"/> parts keep their dialect.</summary>
    public static DiffSql Concat(params object[] parts)
    {
        var tarn = new System.Text.StringBuilder();
        var sqlite = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case DiffSql d:
                    tarn.Append(d.Tarn);
                    sqlite.Append(d.Sqlite);
                    break;
                case string s:
                    tarn.Append(s);
                    sqlite.Append(s);
                    break;
                default:
                    throw new ArgumentException($"unexpected part {part.GetType()}", nameof(parts));
            }
        }
        return new DiffSql(tarn.ToString(), sqlite.ToString());
    }

    public static DiffSql Join(string separator, IEnumerable<DiffSql> parts)
    {
        var list = parts.ToList();
        return new DiffSql(string.Join(separator, list.Select(p => p.Tarn)), string.Join(separator, list.Select(p => p.Sqlite)));
    }

    public override string ToString() => Tarn == Sqlite ? Tarn : $"Tarn:   {Tarn}\nSQLite: {Sqlite}";
}
