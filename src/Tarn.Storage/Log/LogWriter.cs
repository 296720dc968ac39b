using Tarn.Storage.IO;

namespace Tarn.Storage.Log;

/// <summary>
/// Appends groups of framed records to the newest log file and makes them durable. Used only by the committer
/// thread. A failed write is rolled back by truncating the file to where the group started, so a later group
/// never follows garbage (storage-spec/05-log.md, "Writing").
/// </summary>
public sealed class LogWriter : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly string _directory;
    private readonly Guid _databaseId;
    private readonly long _rollBytes;
    private IStorageFile? _file;
    private long _length;
    private long _fileFirstSeq;
    private bool _needsTruncate;

    public LogWriter(IFileSystem fs, string directory, Guid databaseId, LogTail tail, long rollBytes = LogFormat.DefaultRollBytes)
    {
        _fs = fs;
        _directory = directory;
        _databaseId = databaseId;
        _rollBytes = rollBytes;
        if (tail.FilePath is not null && tail.LastSeq + 1 >= tail.FileFirstSeq && tail.ValidLength >= LogFormat.HeaderSize)
        {
            _file = fs.Open(tail.FilePath, writable: true);
            _length = tail.ValidLength;
            _fileFirstSeq = tail.FileFirstSeq;
        }
    }

    public long BytesInCurrentFile => _length;

    /// <summary>Writes <paramref name="frames"/> (records <paramref name="firstSeq"/>..) and syncs. Throws on failure, leaving nothing behind.</summary>
    public void Append(ReadOnlySpan<byte> frames, long firstSeq)
    {
        if (_needsTruncate && _file is not null)
        {
            _file.SetLength(_length);
            _file.Sync();
            _needsTruncate = false;
        }
        if (_file is null || _length >= _rollBytes) Roll(firstSeq);
        var file = _file!;
        try
        {
            file.Write(_length, frames);
            file.Sync();
            _length += frames.Length;
        }
        catch (Exception e)
        {
            try
            {
                file.SetLength(_length);
                file.Sync();
            }
            catch (Exception)
            {
                _needsTruncate = true;
            }
            throw StorageErrors.Wrap(e, file.Path, "write the commit log");
        }
    }

    private void Roll(long firstSeq)
    {
        var path = Path.Combine(_directory, LogFormat.FileName(firstSeq));
        IStorageFile? created = null;
        try
        {
            if (_fs.FileExists(path)) _fs.DeleteFile(path); // a leftover from a failed roll that never got a record
            created = _fs.Create(path);
            created.Write(0, LogFrames.BuildHeader(_databaseId, firstSeq));
            created.Sync();
            _fs.SyncDirectory(_directory);
        }
        catch (Exception e)
        {
            created?.Dispose();
            try { if (_fs.FileExists(path)) _fs.DeleteFile(path); } catch (Exception) { /* best effort: recovery deletes header-only files */ }
            throw StorageErrors.Wrap(e, path, "create a commit log file");
        }
        _file?.Dispose();
        _file = created;
        _length = LogFormat.HeaderSize;
        _fileFirstSeq = firstSeq;
    }

    /// <summary>Deletes log files all of whose records have sequence numbers at most <paramref name="seq"/>.</summary>
    public void DeleteFilesUpTo(long seq)
    {
        var files = LogReader.ListLogFiles(_fs, _directory);
        var deleted = false;
        for (var i = 0; i + 1 < files.Count; i++)
        {
            if (files[i + 1].FirstSeq - 1 > seq) break;
            if (files[i].FirstSeq == _fileFirstSeq) break;
            _fs.DeleteFile(files[i].Path);
            deleted = true;
        }
        if (deleted) _fs.SyncDirectory(_directory);
    }

    public void Dispose() => _file?.Dispose();
}
