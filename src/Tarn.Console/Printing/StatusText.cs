namespace Tarn.Console.Printing;

/// <summary>The one-line status of a statement without rows: its message, else the rows it changed.</summary>
internal static class StatusText
{
    public static string For(TarnResult result)
    {
        if (!string.IsNullOrEmpty(result.Message)) return result.Message;
        if (result.RowsAffected >= 0) return result.RowsAffected == 1 ? "1 row affected" : $"{result.RowsAffected} rows affected";
        return "OK";
    }

    /// <summary>The table footer: "(1 row)", "(3 rows)".</summary>
    public static string RowCount(int rows) => rows == 1 ? "(1 row)" : $"({rows} rows)";
}
