using System.Text;

namespace Tarn.Console.Interactive;

/// <summary>
/// Statements entered at the prompt, oldest first, kept in a file so they survive the session. Each entry is one
/// line of the file (backslash and newline escaped); every entry is appended as it is added, so a crash loses
/// nothing, and the file is rewritten to the newest <see cref="MaxEntries"/> when it has grown to twice that.
/// </summary>
internal sealed class ReplHistory
{
    public const int MaxEntries = 1000;
    public const string FileName = ".tarn_history";

    private readonly List<string> _entries = [];
    private readonly string? _path;
    private bool _persistFailed;

    public ReplHistory(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path)) return;
        try
        {
            var lines = File.ReadAllLines(path);
            foreach (var line in lines) if (line.Length > 0) _entries.Add(Unescape(line));
            if (_entries.Count > MaxEntries) _entries.RemoveRange(0, _entries.Count - MaxEntries);
            if (lines.Length >= 2 * MaxEntries) Rewrite(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _persistFailed = true;
        }
    }

    /// <summary>
    /// Where the history of the database at <paramref name="databasePath"/> lives: next to the database directory
    /// (in its parent), or <c>~/.tarn_history</c> when the directory has no parent.
    /// </summary>
    public static string PathFor(string databasePath)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(databasePath));
        var parent = Path.GetDirectoryName(full);
        return string.IsNullOrEmpty(parent)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), FileName)
            : Path.Combine(parent, FileName);
    }

    public int Count => _entries.Count;

    public string this[int index] => _entries[index];

    public void Add(string entry)
    {
        if (entry.Length == 0 || (_entries.Count > 0 && _entries[^1] == entry)) return;
        _entries.Add(entry);
        if (_entries.Count > MaxEntries) _entries.RemoveAt(0);
        if (_path is null || _persistFailed) return;
        try
        {
            File.AppendAllText(_path, Escape(entry) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _persistFailed = true; // history is a convenience: keep it in memory only
        }
    }

    private void Rewrite(string path)
    {
        var text = new StringBuilder();
        foreach (var entry in _entries) text.Append(Escape(entry)).Append('\n');
        File.WriteAllText(path, text.ToString());
    }

    internal static string Escape(string entry) =>
        entry.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string Unescape(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '\\' || i + 1 == line.Length) { sb.Append(line[i]); continue; }
            var next = line[++i];
            sb.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
        }
        return sb.ToString();
    }
}
