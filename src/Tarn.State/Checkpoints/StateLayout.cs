using System.Globalization;

namespace Tarn.State.Checkpoints;

/// <summary>
/// Paths inside a state directory (storage-spec/07-state.md):
/// <code>
/// state/
///   log/hlog.log.N                              FASTER hybrid log segments
///   checkpoints/index-checkpoints/&lt;token&gt;/    FASTER hash index image of a checkpoint
///   checkpoints/cpr-checkpoints/&lt;token&gt;/      FASTER log checkpoint metadata and snapshot
///   checkpoints/tarn-&lt;number&gt;.ckpt             Tarn's commit marker of checkpoint &lt;number&gt;
///   checkpoints/tarn-&lt;number&gt;.discarded        number of a checkpoint dropped by recovery to an older one
/// </code>
/// </summary>
internal sealed class StateLayout
{
    private const string MarkerPrefix = "tarn-";
    public const string MarkerExtension = ".ckpt";
    public const string DiscardedExtension = ".discarded";

    public StateLayout(string root)
    {
        Root = Path.GetFullPath(root);
        LogDirectory = Path.Combine(Root, "log");
        CheckpointDirectory = Path.Combine(Root, "checkpoints");
    }

    public string Root { get; }
    public string LogDirectory { get; }
    public string CheckpointDirectory { get; }

    /// <summary>Base path FASTER appends the segment number to.</summary>
    public string LogBasePath => Path.Combine(LogDirectory, "hlog.log");

    /// <summary>File of log segment <paramref name="segment"/> (FASTER's naming: base path, dot, number).</summary>
    public string LogSegmentPath(long segment) => LogBasePath + "." + segment.ToString(CultureInfo.InvariantCulture);

    public string IndexCheckpointsDirectory => Path.Combine(CheckpointDirectory, "index-checkpoints");
    public string LogCheckpointsDirectory => Path.Combine(CheckpointDirectory, "cpr-checkpoints");

    public string IndexCheckpointFolder(Guid token) => Path.Combine(IndexCheckpointsDirectory, token.ToString());
    public string LogCheckpointFolder(Guid token) => Path.Combine(LogCheckpointsDirectory, token.ToString());

    public string MarkerPath(long number) => Path.Combine(CheckpointDirectory, MarkerPrefix + number.ToString("D19", CultureInfo.InvariantCulture) + MarkerExtension);
    public string DiscardedPath(long number) => Path.Combine(CheckpointDirectory, MarkerPrefix + number.ToString("D19", CultureInfo.InvariantCulture) + DiscardedExtension);

    public void CreateDirectories()
    {
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(CheckpointDirectory);
    }

    /// <summary>Marker files (committed and discarded) with the number their name carries, in no particular order.</summary>
    public List<(long Number, string Path, bool Discarded)> ListMarkerFiles()
    {
        var result = new List<(long, string, bool)>();
        foreach (var path in Directory.EnumerateFiles(CheckpointDirectory, MarkerPrefix + "*"))
        {
            var name = System.IO.Path.GetFileName(path);
            var discarded = name.EndsWith(DiscardedExtension, StringComparison.Ordinal);
            if (!discarded && !name.EndsWith(MarkerExtension, StringComparison.Ordinal))
                continue; // e.g. a .tmp left by a crash while writing a marker
            var digits = name.AsSpan(MarkerPrefix.Length, name.Length - MarkerPrefix.Length - (discarded ? DiscardedExtension.Length : MarkerExtension.Length));
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                result.Add((number, path, discarded));
        }
        return result;
    }

    /// <summary>Tokens that have a FASTER checkpoint folder (index or log part).</summary>
    public HashSet<Guid> ListFasterCheckpointTokens()
    {
        var tokens = new HashSet<Guid>();
        foreach (var parent in new[] { IndexCheckpointsDirectory, LogCheckpointsDirectory })
        {
            if (!Directory.Exists(parent))
                continue;
            foreach (var folder in Directory.EnumerateDirectories(parent))
            {
                if (Guid.TryParse(System.IO.Path.GetFileName(folder), out var token))
                    tokens.Add(token);
            }
        }
        return tokens;
    }

    /// <summary>Deletes both FASTER folders of a checkpoint.</summary>
    public void DeleteFasterCheckpoint(Guid token)
    {
        DeleteDirectory(IndexCheckpointFolder(token));
        DeleteDirectory(LogCheckpointFolder(token));
    }

    /// <summary>Leftovers of interrupted marker writes.</summary>
    public void DeleteTemporaryFiles()
    {
        foreach (var path in Directory.EnumerateFiles(CheckpointDirectory, "*.tmp"))
            File.Delete(path);
    }

    /// <summary>Removes the log and every checkpoint: the state of a store that never committed a checkpoint.</summary>
    public void DeleteAllData()
    {
        DeleteDirectory(LogDirectory);
        DeleteDirectory(CheckpointDirectory);
        CreateDirectories();
    }

    /// <summary>Path relative to <see cref="Root"/> with '/' separators, as recorded in markers.</summary>
    public string Relative(string path) => System.IO.Path.GetRelativePath(Root, path).Replace('\\', '/');

    public string Absolute(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
