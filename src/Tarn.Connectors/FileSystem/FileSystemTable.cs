using Tarn.Catalog.Model;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// The options of a <c>'connector' = 'filesystem'</c> table: <c>path</c> (a file, or a directory read recursively,
/// <c>file://</c> URIs allowed) and <c>format</c> (only <c>csv</c> so far).
/// </summary>
internal sealed record FileSystemTable(string Path, string Format, CsvFormatOptions Csv)
{
    public static FileSystemTable From(TableDef table)
    {
        if (!table.Options.TryGetValue("path", out var path) || string.IsNullOrWhiteSpace(path))
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}' needs a 'path' option");
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) path = new Uri(path).LocalPath;
        var format = table.Options.TryGetValue("format", out var f) ? f : "";
        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem table '{table.Name}': format '{format}' is not supported yet (supported: csv)");
        return new FileSystemTable(path, "csv", CsvFormatOptions.From(table.Options));
    }

    /// <summary>
    /// The files to read, in a stable order. Like Flink, names starting with '.' or '_' (hidden files, _SUCCESS
    /// markers, in-progress files) are skipped.
    /// </summary>
    public IReadOnlyList<string> ListFiles()
    {
        if (File.Exists(Path)) return [Path];
        if (!Directory.Exists(Path))
            throw new TarnException(SqlStates.UndefinedObject, $"filesystem path '{Path}' does not exist") { FilePath = Path };
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(Path, file);
            if (IsHidden(relative)) continue;
            files.Add(file);
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static bool IsHidden(string relative)
    {
        foreach (var part in relative.Split(System.IO.Path.DirectorySeparatorChar))
            if (part.StartsWith('.') || part.StartsWith('_')) return true;
        return false;
    }
}
