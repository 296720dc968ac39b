using System.Globalization;
using System.Text;
using Tarn.Checksums;
using Tarn.Storage.IO;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// The record of one roll of a streaming filesystem sink, written durably before its first rename so that a crash
/// part-way through publishing is completed on recovery: the in-progress files to rename (paths relative to the
/// table's path), the partitions that got files, and the staged epochs the files hold (deleted once the files are
/// published), through epoch <see cref="Epoch"/>.
/// <para>A text file in the sink's staging directory: a header line, <c>epoch</c>, <c>rename</c>, <c>partition</c>
/// and <c>staged</c> lines (tab-separated fields), then a <c>crc</c> line with the CRC-32C of everything before it.</para>
/// </summary>
internal sealed record FileSinkManifest(long Epoch, IReadOnlyList<(string InProgress, string Final)> Renames, IReadOnlyList<string> Partitions, IReadOnlyList<long> StagedEpochs)
{
    private const string Header = "tarn filesystem sink roll 1";
    public const string FileName = "roll.manifest";

    public static string PathIn(string stagingDirectory) => Path.Combine(stagingDirectory, FileName);

    /// <summary>Writes the manifest and syncs it and its directory (atomically: a torn write leaves no manifest).</summary>
    public void Write(string stagingDirectory)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("epoch\t").Append(Epoch.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (inProgress, final) in Renames) text.Append("rename\t").Append(inProgress).Append('\t').Append(final).Append('\n');
        foreach (var partition in Partitions) text.Append("partition\t").Append(partition).Append('\n');
        foreach (var epoch in StagedEpochs) text.Append("staged\t").Append(epoch.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var crc = Encoding.UTF8.GetBytes("crc\t" + Crc32C.Compute(body).ToString("x8", CultureInfo.InvariantCulture) + "\n");
        var path = PathIn(stagingDirectory);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(body);
            file.Write(crc);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        LocalFileSystem.Instance.SyncDirectory(stagingDirectory);
    }

    /// <summary>The manifest in <paramref name="stagingDirectory"/>, or null; throws XX001 when it is damaged.</summary>
    public static FileSinkManifest? Read(string stagingDirectory)
    {
        var path = PathIn(stagingDirectory);
        if (File.Exists(path + ".tmp")) File.Delete(path + ".tmp"); // never renamed: the roll had not begun
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var crcAt = text.LastIndexOf("crc\t", StringComparison.Ordinal);
        if (crcAt < 0 || !uint.TryParse(text.AsSpan(crcAt + 4).TrimEnd('\n'), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var crc)
            || crc != Crc32C.Compute(Encoding.UTF8.GetBytes(text[..crcAt])))
            throw Corrupt(path);
        var lines = text[..crcAt].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0] != Header) throw Corrupt(path);
        long epoch = -1;
        var renames = new List<(string, string)>();
        var partitions = new List<string>();
        var staged = new List<long>();
        foreach (var line in lines.AsSpan(1))
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "epoch": epoch = long.Parse(fields[1], CultureInfo.InvariantCulture); break;
                case "rename" when fields.Length == 3: renames.Add((fields[1], fields[2])); break;
                case "partition": partitions.Add(line["partition\t".Length..]); break;
                case "staged": staged.Add(long.Parse(fields[1], CultureInfo.InvariantCulture)); break;
                default: throw Corrupt(path);
            }
        }
        return new FileSinkManifest(epoch, renames, partitions, staged);
    }

    public static void Delete(string stagingDirectory)
    {
        File.Delete(PathIn(stagingDirectory));
        LocalFileSystem.Instance.SyncDirectory(stagingDirectory);
    }

    private static TarnException Corrupt(string path) =>
        new(SqlStates.DataCorrupted, $"filesystem sink roll manifest '{path}' is damaged") { FilePath = path };
}
