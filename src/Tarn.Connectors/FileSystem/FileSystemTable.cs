using Tarn.Catalog.Model;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// The options of a <c>'connector' = 'filesystem'</c> table: <c>path</c> (a file, or a directory read recursively,
/// <c>file://</c> URIs allowed) and <c>format</c> (only <c>csv</c> so far). The legacy descriptor keys of Flink's
/// old connector (<c>'connector.path'</c>, <c>'format.type'</c>, <c>'format.field-delimiter'</c>, ...), which older
/// scripts such as Nexmark's q13 still use, mean the same.
/// </summary>
internal sealed record FileSystemTable(string Path, string Format, CsvFormatOptions Csv)
{
    public static bool Is(TableDef table) => string.Equals(table.Connector, "filesystem", StringComparison.OrdinalIgnoreCase);

    public static FileSystemTable From(TableDef table)
    {
        var options = Normalized(table.Options);
        if (!options.TryGetValue("path", out var path) || string.IsNullOrWhiteSpace(path))
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}' needs a 'path' option");
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            path = Uri.TryCreate(path, UriKind.Absolute, out var uri) ? uri.LocalPath
                : throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': 'path' = '{path}' is not a valid file URI (file:///absolute/path)");
        var format = options.TryGetValue("format", out var f) ? f : "";
        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem table '{table.Name}': format '{format}' is not supported yet (supported: csv)");
        return new FileSystemTable(path, "csv", CsvFormatOptions.From(options));
    }

    /// <summary>The options with legacy descriptor keys renamed to the current ones (a current key wins).</summary>
    private static Dictionary<string, string> Normalized(IReadOnlyDictionary<string, string> options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options)
        {
            var current = key switch
            {
                "connector.path" => "path",
                "format.type" => "format",
                // describe what Tarn takes from the table's columns
                "format.derive-schema" or "format.property-version" => null,
                _ when key.StartsWith("format.fields.", StringComparison.Ordinal) => null,
                "format.field-delimiter" or "format.quote-character" or "format.escape-character" or "format.allow-comments"
                    or "format.ignore-parse-errors" or "format.null-literal" or "format.array-element-delimiter" => "csv." + key["format.".Length..],
                _ when key.StartsWith("format.", StringComparison.Ordinal) =>
                    throw new TarnException(SqlStates.InvalidParameterValue, $"unknown legacy csv format option '{key}'"),
                _ => null,
            };
            if (current is not null) result.TryAdd(current, value);
        }
        foreach (var (key, value) in options)
            if (!key.StartsWith("connector.", StringComparison.Ordinal) && !key.StartsWith("format.", StringComparison.Ordinal)) result[key] = value;
        return result;
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
