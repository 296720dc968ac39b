using Tarn.Catalog.Model;
using Tarn.Connectors.Formats;

namespace Tarn.Connectors.FileSystem;

/// <summary>The file formats of the filesystem connector.</summary>
internal enum FileFormat : byte { Csv, Json, Parquet }

/// <summary>
/// The options of a <c>'connector' = 'filesystem'</c> table: <c>path</c> (a file, or a directory read recursively,
/// <c>file://</c> URIs allowed), <c>format</c> (<c>csv</c>, <c>json</c> or <c>parquet</c>) with its options, and for
/// partitioned tables <c>partition.default-name</c> and the partition commit policy
/// (<c>sink.partition-commit.policy.kind</c>, <c>sink.partition-commit.success-file.name</c>). The legacy descriptor
/// keys of Flink's old connector (<c>'connector.path'</c>, <c>'format.type'</c>, <c>'format.field-delimiter'</c>, ...),
/// which older scripts such as Nexmark's q13 still use, mean the same.
/// </summary>
internal sealed record FileSystemTable(
    string Name,
    string Path,
    FileFormat Format,
    CsvFormatOptions Csv,
    FormatOptions Json,
    ParquetFormatOptions Parquet,
    IReadOnlyList<string> PartitionKeys,
    string DefaultPartitionName,
    bool WriteSuccessFile,
    string SuccessFileName)
{
    public const string DefaultPartitionNameValue = "__DEFAULT_PARTITION__";

    public static bool Is(TableDef table) => string.Equals(table.Connector, "filesystem", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file extension of written files (Flink writes none; an extension lets other tools see the format).</summary>
    public string Extension => Format switch { FileFormat.Json => "json", FileFormat.Parquet => "parquet", _ => "csv" };

    /// <summary>
    /// What CREATE TABLE checks: the partition columns and the sink options (commit policy, parquet compression). The
    /// path and the format are checked when the table is read or written, so that Flink scripts with placeholders or
    /// formats this version cannot read still load.
    /// </summary>
    public static void Validate(TableDef table)
    {
        CommitPolicy(table, table.Options);
        PartitionColumns(table);
        ParquetFormatOptions.From(table.Options, $"filesystem table '{table.Name}'");
    }

    public static FileSystemTable From(TableDef table)
    {
        var options = Normalized(table.Options);
        if (!options.TryGetValue("path", out var path) || string.IsNullOrWhiteSpace(path))
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}' needs a 'path' option");
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            path = Uri.TryCreate(path, UriKind.Absolute, out var uri) ? uri.LocalPath
                : throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': 'path' = '{path}' is not a valid file URI (file:///absolute/path)");
        var formatText = options.TryGetValue("format", out var f) ? f : "";
        var format = ParseFormat(formatText) ?? throw new TarnException(SqlStates.FeatureNotSupported,
            $"filesystem table '{table.Name}': format '{formatText}' is not supported yet (supported: csv, json, parquet)");
        var owner = $"filesystem table '{table.Name}'";
        var json = FormatOptions.From("json", options, "value.", owner);
        if (format == FileFormat.Json) json.CheckKnown(JsonRowDecoder.KnownOptions);
        var (successFile, successName) = CommitPolicy(table, options);
        return new FileSystemTable(table.Name, path, format, CsvFormatOptions.From(options), json, ParquetFormatOptions.From(options, owner),
            PartitionColumns(table), options.TryGetValue("partition.default-name", out var d) && d.Length > 0 ? d : DefaultPartitionNameValue,
            successFile, successName);
    }

    private static FileFormat? ParseFormat(string format) => format.ToLowerInvariant() switch
    {
        "csv" => FileFormat.Csv,
        "json" => FileFormat.Json,
        "parquet" => FileFormat.Parquet,
        _ => null,
    };

    /// <summary>The partition columns, checked to be physical columns of the table.</summary>
    private static IReadOnlyList<string> PartitionColumns(TableDef table)
    {
        foreach (var key in table.PartitionKeys)
            if (table.FindColumn(key) is not { IsPhysical: true })
                throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': partition column '{key}' is not a physical column of the table");
        if (table.PartitionKeys.Count > 0 && table.PartitionKeys.Count == table.Columns.Count(c => c.IsPhysical))
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': not every column can be a partition column (the files need at least one)");
        return table.PartitionKeys;
    }

    /// <summary><c>sink.partition-commit.policy.kind</c>: a comma-separated list of <c>success-file</c> and <c>metastore</c>.</summary>
    private static (bool SuccessFile, string Name) CommitPolicy(TableDef table, IReadOnlyDictionary<string, string> options)
    {
        var successFile = false;
        if (options.TryGetValue("sink.partition-commit.policy.kind", out var kinds))
        {
            foreach (var raw in kinds.Split(','))
            {
                var kind = raw.Trim();
                if (kind.Equals("success-file", StringComparison.OrdinalIgnoreCase)) successFile = true;
                else if (kind.Equals("metastore", StringComparison.OrdinalIgnoreCase)) { } // Tarn lists partitions from the directories
                else throw new TarnException(SqlStates.InvalidParameterValue,
                    $"filesystem table '{table.Name}': unknown partition commit policy '{kind}' in 'sink.partition-commit.policy.kind' (known: success-file, metastore)");
            }
        }
        var name = options.TryGetValue("sink.partition-commit.success-file.name", out var n) ? n : "_SUCCESS";
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains(System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{table.Name}': 'sink.partition-commit.success-file.name' must be a file name, got '{name}'");
        return (successFile, name);
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
