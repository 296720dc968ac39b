using System.Globalization;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Storage.IO;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Flink's partition commit for a streaming filesystem sink: once a partition's files are published it becomes
/// pending, and when its trigger fires the commit policy runs (<c>success-file</c>: an empty
/// <c>sink.partition-commit.success-file.name</c> file, <c>_SUCCESS</c>, is written into it; <c>metastore</c> has
/// nothing to do in Tarn). Triggers (<c>sink.partition-commit.trigger</c>, with <c>sink.partition-commit.delay</c>):
/// <list type="bullet">
/// <item><c>process-time</c> (default): the partition's first file was opened more than the delay ago;</item>
/// <item><c>partition-time</c>: the watermark passed the partition's time plus the delay. The time comes from the
/// partition values through <c>partition.time-extractor.timestamp-pattern</c> (<c>$dt $hm:00</c>; default: the
/// first partition value) read as <c>yyyy-MM-dd HH:mm:ss</c> or <c>yyyy-MM-dd</c> (or
/// <c>partition.time-extractor.timestamp-formatter</c>) in <c>sink.partition-commit.watermark-time-zone</c> (UTC).
/// A partition whose time cannot be read (the default partition) is committed when the input ends.</item>
/// </list>
/// When the input ends every pending partition is committed. A partition receiving rows after its commit is committed
/// again (the success file is rewritten). Pending partitions are kept in <c>partitions.pending</c> in the staging
/// directory, so a restart does not forget them.
/// </summary>
internal sealed class PartitionCommitter
{
    private const string FileName = "partitions.pending";
    private readonly FileSinkLayout _layout;
    private readonly string _stagingDirectory;
    private readonly string? _successFile;
    private readonly bool _partitionTime;
    private readonly TimeSpan _delay;
    private readonly string? _pattern;
    private readonly string[] _formats;
    private readonly TimeZoneInfo _watermarkZone;
    private readonly SortedDictionary<string, long> _pending = new(StringComparer.Ordinal); // partition → first file opened, ms

    public PartitionCommitter(TableDef def, FileSystemTable table, FileSinkLayout layout, string stagingDirectory)
    {
        _layout = layout;
        _stagingDirectory = stagingDirectory;
        _successFile = table.WriteSuccessFile && layout.IsPartitioned ? table.SuccessFileName : null;
        var trigger = def.Options.TryGetValue("sink.partition-commit.trigger", out var t) ? t.Trim() : "process-time";
        _partitionTime = trigger.ToLowerInvariant() switch
        {
            "process-time" => false,
            "partition-time" => true,
            _ => throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{def.Name}': 'sink.partition-commit.trigger' must be 'process-time' or 'partition-time', got '{trigger}'"),
        };
        _delay = def.Options.ContainsKey("sink.partition-commit.delay")
            ? FileSinkRollingPolicy.Duration(def, "sink.partition-commit.delay", TimeSpan.Zero) : TimeSpan.Zero;
        _pattern = def.Options.TryGetValue("partition.time-extractor.timestamp-pattern", out var p) && p.Length > 0 ? p : null;
        _formats = def.Options.TryGetValue("partition.time-extractor.timestamp-formatter", out var f) && f.Length > 0
            ? [f] : ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd"];
        var zone = def.Options.TryGetValue("sink.partition-commit.watermark-time-zone", out var z) ? z : "UTC";
        try { _watermarkZone = zone is "UTC" or "utc" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone); }
        catch (TimeZoneNotFoundException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"filesystem table '{def.Name}': unknown 'sink.partition-commit.watermark-time-zone' '{zone}'");
        }
        Load();
    }

    /// <summary>Partitions published but not committed yet.</summary>
    public IReadOnlyCollection<string> Pending => _pending.Keys;

    /// <summary>Partitions whose files were just published, each with when it got its first file (ms).</summary>
    public void Add(IEnumerable<(string Partition, long Opened)> partitions)
    {
        if (_successFile is null) return;
        var changed = false;
        foreach (var (partition, opened) in partitions)
            changed |= _pending.TryAdd(partition, opened);
        if (changed) Save();
    }

    /// <summary>Commits the pending partitions whose trigger fired (all of them when <paramref name="endOfInput"/>).</summary>
    public void CommitDue(long nowMillis, long watermark, bool endOfInput)
    {
        if (_pending.Count == 0) return;
        var committed = new List<string>();
        foreach (var (partition, opened) in _pending)
        {
            var due = endOfInput || (_partitionTime
                ? PartitionTime(partition) is { } time && watermark > time + (long)_delay.TotalMilliseconds
                : nowMillis >= opened + (long)_delay.TotalMilliseconds);
            if (!due) continue;
            var directory = _layout.DirectoryOf(partition);
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, _successFile!), []);
            committed.Add(partition);
        }
        if (committed.Count == 0) return;
        foreach (var partition in committed) _pending.Remove(partition);
        Save();
    }

    /// <summary>The partition's time in milliseconds (in the watermark's zone), or null when its values do not read as one.</summary>
    internal long? PartitionTime(string partition)
    {
        var values = new List<(string Name, string Value)>();
        foreach (var part in partition.Split('/'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) values.Add((PartitionPath.Unescape(part[..eq]), PartitionPath.Unescape(part[(eq + 1)..])));
        }
        if (values.Count == 0) return null;
        string text;
        if (_pattern is null) text = values[0].Value;
        else
        {
            // Longest names first, so that $dt does not replace the start of $dth.
            text = _pattern;
            foreach (var (name, value) in values.OrderByDescending(v => v.Name.Length))
                text = text.Replace("$" + name, value, StringComparison.OrdinalIgnoreCase);
        }
        if (!DateTime.TryParseExact(text, _formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _watermarkZone);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    private void Load()
    {
        var path = Path.Combine(_stagingDirectory, FileName);
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0 && long.TryParse(line.AsSpan(tab + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var opened))
                _pending[line[..tab]] = opened;
        }
    }

    /// <summary>Replaces the pending list durably (write, sync, rename).</summary>
    private void Save()
    {
        var path = Path.Combine(_stagingDirectory, FileName);
        if (_pending.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var text = new StringBuilder();
        foreach (var (partition, opened) in _pending) text.Append(partition).Append('\t').Append(opened.ToString(CultureInfo.InvariantCulture)).Append('\n');
        using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(path + ".tmp", path, overwrite: true);
        LocalFileSystem.Instance.SyncDirectory(_stagingDirectory);
    }
}
