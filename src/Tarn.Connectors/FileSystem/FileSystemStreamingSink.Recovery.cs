namespace Tarn.Connectors.FileSystem;

internal sealed partial class FileSystemStreamingSink
{
    /// <summary>
    /// Brings the table to the job's committed epoch after a crash or a stop: completes a roll whose manifest is
    /// there, deletes this sink's in-progress files (their rows are staged), drops staged epochs the job did not
    /// commit, and appends the committed ones to new in-progress files.
    /// </summary>
    private void Recover()
    {
        if (FileSinkManifest.Read(_context.StagingDirectory) is { } manifest)
        {
            foreach (var (inProgress, final) in manifest.Renames)
            {
                var from = Absolute(inProgress);
                var to = Absolute(final);
                if (File.Exists(from)) File.Move(from, to, overwrite: true);
                else if (!File.Exists(to))
                    throw new TarnException(SqlStates.DataCorrupted, $"filesystem table '{_table.Name}': file '{to}' of an interrupted roll is missing") { FilePath = to };
            }
            var opened = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            Complete(manifest, manifest.Partitions.Select(p => (p, opened)));
        }
        if (Directory.Exists(_table.Path))
            foreach (var file in Directory.EnumerateFiles(_table.Path, $".part-{_tag}-*.inprogress", SearchOption.AllDirectories))
                File.Delete(file);
        foreach (var epoch in _staged.Epochs())
        {
            if (epoch > _context.CommittedEpoch)
            {
                _staged.Delete(epoch);
                continue;
            }
            Append(_staged.Read(epoch));
            _held.Add(epoch);
            _appendedThrough = epoch;
        }
    }
}
