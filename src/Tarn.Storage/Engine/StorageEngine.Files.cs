using System.Collections.Concurrent;
using Tarn.Storage.Segments;
using Tarn.Storage.Tables;

namespace Tarn.Storage.Engine;

public sealed partial class StorageEngine
{
    private readonly ConcurrentDictionary<(long Table, long Segment), SegmentReader> _readers = new();
    private readonly object _leaseLock = new();
    private readonly SortedDictionary<long, int> _leases = [];
    private readonly List<(long ObsoleteAtSeq, string Path, long TableId, long SegmentId)> _obsolete = [];
    private readonly List<(long ObsoleteAtSeq, string Path)> _obsoleteDirectories = [];

    /// <summary>Directory holding a table's segment files.</summary>
    public string TableDirectory(long tableId) => Path.Combine(DataDirectory, tableId.ToString("D8"));

    public string SegmentPath(TableLayout layout, SegmentEntry segment) =>
        Path.Combine(TableDirectory(layout.TableId), segment.RelativePath(PartitionColumnNames(layout)));

    public string SegmentPath(TableLayout layout, long segmentId, int bucket, PartitionKey partition) =>
        SegmentPath(layout, new SegmentEntry(segmentId, bucket, partition, 0, 0, 0, 0, 0));

    internal static List<string> PartitionColumnNames(TableLayout layout)
    {
        var names = new List<string>(layout.PartitionColumnIds.Count);
        foreach (var i in layout.PartitionColumnIndexes) names.Add(layout.Schema[i].Name);
        return names;
    }

    /// <summary>An open reader for a segment file, cached. The caller must hold a lease (see <see cref="AcquireLease"/>).</summary>
    public SegmentReader OpenSegment(TableLayout layout, SegmentEntry segment)
    {
        if (_readers.TryGetValue((layout.TableId, segment.SegmentId), out var reader)) return reader;
        var path = SegmentPath(layout, segment);
        var file = _fs.Open(path, writable: false);
        try
        {
            if (file.Length != segment.FileLength)
                ThrowHelper.Corrupt(path, $"segment file has {file.Length} bytes, the manifest says {segment.FileLength}");
            reader = SegmentReader.Open(new StorageFileSegmentSource(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
        if (!_readers.TryAdd((layout.TableId, segment.SegmentId), reader))
        {
            reader.Dispose();
            reader = _readers[(layout.TableId, segment.SegmentId)];
        }
        if (_readers.Count > Options.OpenSegmentCacheSize) TrimReaders();
        return reader;
    }

    /// <summary>
    /// Closes the cached reader of a segment file that is deleted without ever being committed (an abandoned write, a
    /// rolled-back transaction), so its disk space is freed now rather than when the database closes.
    /// </summary>
    internal void ForgetUncommittedSegment(long tableId, long segmentId)
    {
        if (_readers.TryRemove((tableId, segmentId), out var reader)) reader.Dispose();
    }

    private void TrimReaders()
    {
        // Readers are cheap to reopen; closing arbitrary ones is fine because every user takes its own
        // reference through OpenSegment at the start of a scan and readers stay usable until disposed.
        // To keep concurrent scans safe we only drop readers of files that are already obsolete.
        lock (_leaseLock)
        {
            foreach (var (_, _, table, segment) in _obsolete)
                if (_readers.TryRemove((table, segment), out var r)) r.Dispose();
        }
    }

    private void DisposeReaders()
    {
        foreach (var r in _readers.Values) r.Dispose();
        _readers.Clear();
    }

    /// <summary>
    /// Pins the files of the current state: none of them is deleted until the lease is disposed, even if
    /// compaction or DROP TABLE makes them obsolete meanwhile.
    /// </summary>
    public ReadLease AcquireLease()
    {
        lock (_leaseLock)
        {
            var state = _state;
            _leases[state.Seq] = _leases.GetValueOrDefault(state.Seq) + 1;
            return new ReadLease(this, state);
        }
    }

    internal void ReleaseLease(long seq)
    {
        lock (_leaseLock)
        {
            if (!_leases.TryGetValue(seq, out var n)) return;
            if (n <= 1) _leases.Remove(seq);
            else _leases[seq] = n - 1;
        }
    }

    private void QueueObsolete(StorageState.ApplyEffects effects, long seq)
    {
        if (effects.ObsoleteSegments.Count == 0 && effects.DroppedTables.Count == 0) return;
        var state = _state;
        lock (_leaseLock)
        {
            foreach (var (tableId, segment) in effects.ObsoleteSegments)
            {
                var layout = state.Tables.TryGetValue(tableId, out var t) ? t.Layout : null;
                if (layout is null) continue; // dropped in the same group: the whole directory goes
                _obsolete.Add((seq, SegmentPath(layout, segment), tableId, segment.SegmentId));
            }
            foreach (var layout in effects.DroppedTables) _obsoleteDirectories.Add((seq, TableDirectory(layout.TableId)));
        }
    }

    /// <summary>Deletes obsolete files that no lease can still reach.</summary>
    private void DeleteObsoleteFiles(bool force = false)
    {
        List<string> files = [];
        List<string> dirs = [];
        lock (_leaseLock)
        {
            var oldestLease = _leases.Count == 0 || force ? long.MaxValue : _leases.Keys.First();
            for (var i = _obsolete.Count - 1; i >= 0; i--)
            {
                // A lease taken at seq L sees files that became obsolete after L.
                if (_obsolete[i].ObsoleteAtSeq > oldestLease) continue;
                if (_readers.TryRemove((_obsolete[i].TableId, _obsolete[i].SegmentId), out var r)) r.Dispose();
                files.Add(_obsolete[i].Path);
                _obsolete.RemoveAt(i);
            }
            for (var i = _obsoleteDirectories.Count - 1; i >= 0; i--)
            {
                if (_obsoleteDirectories[i].ObsoleteAtSeq > oldestLease) continue;
                dirs.Add(_obsoleteDirectories[i].Path);
                _obsoleteDirectories.RemoveAt(i);
            }
        }
        if (dirs.Count > 0)
        {
            foreach (var key in _readers.Keys)
                if (dirs.Contains(TableDirectory(key.Table)) && _readers.TryRemove(key, out var r)) r.Dispose();
        }
        foreach (var f in files)
        {
            try { if (_fs.FileExists(f)) _fs.DeleteFile(f); }
            catch (Exception) { /* retried as an orphan at the next open */ }
        }
        foreach (var d in dirs)
        {
            try { _fs.DeleteDirectory(d, recursive: true); }
            catch (Exception) { /* retried as an orphan at the next open */ }
        }
    }

    /// <summary>
    /// Deletes segment files no committed state refers to: files written for commits that never happened
    /// (a crash between writing a file and committing it) and files of dropped tables.
    /// </summary>
    private void RemoveOrphanFiles()
    {
        var state = _state;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in state.Tables.Values)
            foreach (var s in t.Segments) referenced.Add(Path.GetFullPath(SegmentPath(t.Layout, s)));
        foreach (var tableDir in _fs.ListDirectories(DataDirectory))
        {
            if (!long.TryParse(Path.GetFileName(tableDir), out var tableId) || !state.Tables.ContainsKey(tableId))
            {
                _fs.DeleteDirectory(tableDir, recursive: true);
                continue;
            }
            foreach (var file in System.IO.Directory.EnumerateFiles(tableDir, "*", SearchOption.AllDirectories))
                if (!referenced.Contains(Path.GetFullPath(file))) _fs.DeleteFile(file);
        }
    }
}

/// <summary>Keeps the files of one state alive while a reader uses them.</summary>
public sealed class ReadLease : IDisposable
{
    private readonly StorageEngine _engine;
    private int _disposed;

    internal ReadLease(StorageEngine engine, StorageState state)
    {
        _engine = engine;
        State = state;
    }

    public StorageState State { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _engine.ReleaseLease(State.Seq);
    }
}
