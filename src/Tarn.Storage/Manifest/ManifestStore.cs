using Tarn.Storage.Engine;
using Tarn.Storage.IO;

namespace Tarn.Storage.Manifest;

/// <summary>
/// Writes manifests atomically (temporary file, fsync, rename, directory fsync) and loads the newest valid one,
/// falling back to the previous when the newest is damaged (storage-spec/06-manifest.md).
/// </summary>
public sealed class ManifestStore(IFileSystem fs, string directory, Guid databaseId)
{
    public void Write(StorageState state)
    {
        var bytes = ManifestCodec.Encode(state, databaseId);
        var final = Path.Combine(directory, ManifestFormat.FileName(state.Seq));
        var temp = final + ".tmp";
        try
        {
            if (fs.FileExists(temp)) fs.DeleteFile(temp);
            using (var f = fs.Create(temp))
            {
                f.Write(0, bytes);
                f.Sync();
            }
            fs.Rename(temp, final);
            fs.SyncDirectory(directory);
        }
        catch (Exception e)
        {
            try { if (fs.FileExists(temp)) fs.DeleteFile(temp); } catch (Exception) { /* leftover temp files are removed on open */ }
            throw StorageErrors.Wrap(e, final, "write the manifest");
        }
        DeleteOld();
    }

    private void DeleteOld()
    {
        var all = List();
        for (var i = 0; i + ManifestFormat.Retained < all.Count; i++) fs.DeleteFile(all[i].Path);
    }

    /// <summary>Manifests by increasing sequence number.</summary>
    public List<(long Seq, string Path)> List()
    {
        var result = new List<(long, string)>();
        foreach (var p in fs.ListFiles(directory, "*.manifest"))
            if (ManifestFormat.TryParseFileName(p, out var seq)) result.Add((seq, p));
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>
    /// Loads the newest manifest that validates. Returns <see cref="StorageState.Empty"/> if there is none at all.
    /// A damaged newest manifest is skipped (the log still holds everything since the previous one); if every
    /// manifest is damaged, the database cannot be opened.
    /// </summary>
    public StorageState LoadNewest(out string? damaged)
    {
        damaged = null;
        foreach (var tmp in fs.ListFiles(directory, "*.tmp")) fs.DeleteFile(tmp);
        var all = List();
        TarnException? firstError = null;
        for (var i = all.Count - 1; i >= 0; i--)
        {
            try
            {
                using var f = fs.Open(all[i].Path, writable: false);
                var len = f.Length;
                if (len > int.MaxValue - 64) ThrowHelper.Corrupt(all[i].Path, "manifest is larger than any Tarn writes");
                var data = new byte[len];
                if (f.Read(0, data) != len) ThrowHelper.Corrupt(all[i].Path, "manifest shrank while being read");
                var state = ManifestCodec.Decode(data, databaseId, all[i].Path);
                if (state.Seq != all[i].Seq) ThrowHelper.Corrupt(all[i].Path, "manifest sequence does not match its file name");
                return state;
            }
            catch (TarnException e) when (e.SqlState == SqlStates.DataCorrupted)
            {
                firstError ??= e;
                damaged ??= all[i].Path;
            }
        }
        if (firstError is not null) throw firstError;
        return StorageState.Empty;
    }
}
