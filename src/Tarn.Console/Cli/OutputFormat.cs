namespace Tarn.Console.Cli;

internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}

internal static class OutputFormats
{
    public const string Names = "table, csv, json";

    public static bool TryParse(string text, out OutputFormat format)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "table": format = OutputFormat.Table; return true;
            case "csv": format = OutputFormat.Csv; return true;
            case "json": format = OutputFormat.Json; return true;
            default: format = default; return false;
        }
    }

    public static string Name(this OutputFormat format) => format.ToString().ToLowerInvariant();
}
