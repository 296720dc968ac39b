namespace Tarn.Server.Hosting;

/// <summary>
/// The <c>--config FILE</c> format: one <c>key = value</c> per line (TOML-like), <c>#</c> starts a comment, blank lines
/// are ignored, values may be double-quoted (needed only for a value containing <c>#</c>). Keys are those of
/// <see cref="ServerSettings.Keys"/>; an unknown key, a repeated key or a bad value is an error naming the line.
/// Relative paths are relative to the file's directory.
/// </summary>
public static class ServerConfigFile
{
    public static void Load(string path, ServerSettings settings)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerConfigException($"{path}: cannot read the config file: {e.Message}");
        }
        Apply(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!, settings);
    }

    /// <summary>Applies the settings in <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static void Apply(string text, string source, string baseDirectory, ServerSettings settings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = StripComment(lines[i], source, lineNumber).Trim();
            if (line.Length == 0) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new ServerConfigException($"{source}:{lineNumber}: expected 'key = value', got '{line}'");
            var key = line[..eq].Trim();
            var value = Unquote(line[(eq + 1)..].Trim(), source, lineNumber);
            if (!ServerSettings.Keys.TryGetValue(key, out var setting))
                throw new ServerConfigException($"{source}:{lineNumber}: unknown key '{key}' (known: {string.Join(", ", ServerSettings.Keys.Keys)})");
            if (!seen.Add(key)) throw new ServerConfigException($"{source}:{lineNumber}: '{key}' is set twice");
            try
            {
                setting.Apply(settings, value, baseDirectory);
            }
            catch (FormatException e)
            {
                throw new ServerConfigException($"{source}:{lineNumber}: {key}: {e.Message}");
            }
        }
    }

    /// <summary>The line without its comment; a '#' inside double quotes is text.</summary>
    private static string StripComment(string line, string source, int lineNumber)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == '#' && !quoted) return line[..i];
        }
        if (quoted) throw new ServerConfigException($"{source}:{lineNumber}: unterminated string");
        return line;
    }

    private static string Unquote(string value, string source, int lineNumber)
    {
        if (value.Length == 0 || value[0] != '"') return value;
        if (value.Length < 2 || value[^1] != '"' || value[1..^1].Contains('"', StringComparison.Ordinal))
            throw new ServerConfigException($"{source}:{lineNumber}: a quoted value must be one \"...\" string");
        return value[1..^1];
    }
}

/// <summary>A bad command line or config file: the message says where and what.</summary>
public sealed class ServerConfigException(string message) : Exception(message);
