using Tarn.Catalog.Model;
using Tarn.Execution;
using Tarn.Execution.Formatting;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Writes the rows of one INSERT into a filesystem table as new files, as Flink's filesystem sink does in batch mode:
/// <c>part-&lt;uuid&gt;-&lt;n&gt;.&lt;ext&gt;</c> files (a new one after <c>sink.rolling-policy.file-size</c>, 128 MB), in
/// Hive-style partition directories (<c>a=1/b=x/</c>, partition columns not stored in the files) for a table with
/// PARTITIONED BY. The INSERT is atomic: files are written hidden and renamed only when every file is complete; a
/// failed INSERT deletes what it wrote. INSERT OVERWRITE deletes the earlier visible files (of the partitions written,
/// for a partitioned table) right before the new ones are renamed. Then each partition written is committed: with the
/// <c>success-file</c> policy an empty <c>_SUCCESS</c> file is written into it.
/// </summary>
internal sealed class FileSystemBatchSink
{
    private const long DefaultRollingSize = 128L << 20;

    private readonly FileSystemTable _table;
    private readonly ExecutionContext _context;
    private readonly string _uuid = Guid.NewGuid().ToString("N");
    private readonly List<string> _dataNames = [];
    private readonly List<DataType> _dataTypes = [];
    private readonly List<int> _dataColumns = [];
    private readonly List<(int Column, string Name)> _partitionColumns = [];
    private readonly long _rollingSize;
    private readonly bool _overwrite;
    private readonly Dictionary<string, PartFile> _open = new(StringComparer.Ordinal);
    private readonly List<PartFile> _finished = [];
    private readonly List<string> _createdDirectories = [];
    private readonly HashSet<string> _partitionsWritten = new(StringComparer.Ordinal);
    private int _nextFile;

    private FileSystemBatchSink(TableDef def, FileSystemTable table, ExecutionContext context, bool overwrite)
    {
        _overwrite = overwrite;
        _table = table;
        _context = context;
        var physical = def.Columns.Where(c => c.IsPhysical).ToList();
        for (var i = 0; i < physical.Count; i++)
        {
            var key = table.PartitionKeys.FirstOrDefault(k => string.Equals(k, physical[i].Name, StringComparison.OrdinalIgnoreCase));
            if (key is not null) continue;
            _dataColumns.Add(i);
            _dataNames.Add(physical[i].Name);
            _dataTypes.Add(physical[i].Type);
        }
        foreach (var key in table.PartitionKeys)
            _partitionColumns.Add((physical.FindIndex(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase)), physical.First(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase)).Name));
        _rollingSize = FileSinkRollingPolicy.Size(def, "sink.rolling-policy.file-size", DefaultRollingSize);
    }

    /// <summary>Drains <paramref name="source"/> (the table's physical columns) into new files; returns the rows written.</summary>
    public static long Write(TableDef def, IBatchOperator source, ExecutionContext context, bool overwrite)
    {
        var table = FileSystemTable.From(def);
        if (File.Exists(table.Path))
            throw new TarnException(SqlStates.FeatureNotSupported, $"filesystem path '{table.Path}' is a file; INSERT writes new files into a directory") { FilePath = table.Path };
        return new FileSystemBatchSink(def, table, context, overwrite).Run(source);
    }

    private long Run(IBatchOperator source)
    {
        long rows = 0;
        try
        {
            CreateDirectory(_table.Path);
            while (source.Next() is { } batch)
            {
                _context.ThrowIfCanceled();
                if (batch.RowCount == 0) continue;
                if (_partitionColumns.Count == 0) WriteTo(_table.Path, "", Project(batch, null));
                else WritePartitioned(batch);
                rows += batch.RowCount;
            }
            foreach (var file in _open.Values) { file.Finish(); _finished.Add(file); }
            _open.Clear();
            Commit();
            return rows;
        }
        catch (IOException e)
        {
            Abort();
            throw new TarnException(SqlStates.IoError, $"cannot write filesystem table '{_table.Name}' at '{_table.Path}': {e.Message}", e) { FilePath = _table.Path };
        }
        catch (UnauthorizedAccessException e)
        {
            Abort();
            throw new TarnException(SqlStates.IoError, $"cannot write filesystem table '{_table.Name}' at '{_table.Path}': {e.Message}", e) { FilePath = _table.Path };
        }
        catch
        {
            Abort();
            throw;
        }
    }

    private void WritePartitioned(ColumnBatch batch)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var parts = new string[_partitionColumns.Count];
        for (var r = 0; r < batch.RowCount; r++)
        {
            for (var k = 0; k < parts.Length; k++)
            {
                var (column, name) = _partitionColumns[k];
                var text = ValueFormatter.Format(batch.Columns[column], r, _context.SessionTimeZone);
                parts[k] = PartitionPath.Escape(name) + "=" + (text is null || text.Length == 0 ? PartitionPath.Escape(_table.DefaultPartitionName) : PartitionPath.Escape(text));
            }
            var key = string.Join('/', parts);
            if (!groups.TryGetValue(key, out var rows)) groups[key] = rows = [];
            rows.Add(r);
        }
        foreach (var (key, rows) in groups) WriteTo(Path.Combine(_table.Path, key.Replace('/', Path.DirectorySeparatorChar)), key, Project(batch, rows.ToArray()));
    }

    /// <summary>The data columns of <paramref name="batch"/> (partition columns left out), of the rows <paramref name="selection"/> or all.</summary>
    private ColumnBatch Project(ColumnBatch batch, int[]? selection)
    {
        var columns = new ColumnVector[_dataColumns.Count];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = selection is null ? batch.Columns[_dataColumns[i]] : batch.Columns[_dataColumns[i]].Gather(selection);
        return new ColumnBatch(columns, selection?.Length ?? batch.RowCount);
    }

    private void WriteTo(string directory, string partition, ColumnBatch data)
    {
        if (!_open.TryGetValue(partition, out var file))
        {
            CreateDirectory(directory);
            file = PartFile.Create(_table, directory, $"part-{_uuid}-{_nextFile++}.{_table.Extension}", _dataNames, _dataTypes, _context.SessionTimeZone);
            _open[partition] = file;
            _partitionsWritten.Add(directory);
        }
        file.Write(data);
        if (file.BytesWritten >= _rollingSize)
        {
            file.Finish();
            _finished.Add(file);
            _open.Remove(partition);
        }
    }

    /// <summary>Publishes every file (renames), then writes the partitions' success files; undoes the renames on failure.</summary>
    private void Commit()
    {
        if (_overwrite)
        {
            if (_partitionColumns.Count == 0) DeleteVisibleFiles(_table.Path);
            else foreach (var directory in _partitionsWritten) DeleteVisibleFiles(directory);
        }
        var committed = 0;
        try
        {
            foreach (var file in _finished) { file.Commit(); committed++; }
            if (_table.WriteSuccessFile && _partitionColumns.Count > 0)
                foreach (var directory in _partitionsWritten)
                    File.WriteAllBytes(Path.Combine(directory, _table.SuccessFileName), []);
        }
        catch
        {
            for (var i = 0; i < committed; i++) _finished[i].Uncommit();
            throw;
        }
    }

    /// <summary>INSERT OVERWRITE: the data files readers would see under <paramref name="directory"/> (not hidden or in-progress ones).</summary>
    private static void DeleteVisibleFiles(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var hidden = false;
            foreach (var part in Path.GetRelativePath(directory, file).Split(Path.DirectorySeparatorChar))
                hidden |= part.StartsWith('.') || part.StartsWith('_');
            if (!hidden) File.Delete(file);
        }
    }

    /// <summary>Deletes every file of this INSERT and the directories it created that are now empty.</summary>
    private void Abort()
    {
        foreach (var file in _open.Values) file.Abort();
        foreach (var file in _finished) file.Abort();
        _open.Clear();
        for (var i = _createdDirectories.Count - 1; i >= 0; i--)
        {
            try
            {
                if (!Directory.EnumerateFileSystemEntries(_createdDirectories[i]).Any()) Directory.Delete(_createdDirectories[i]);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Creates <paramref name="directory"/> and its missing parents, remembering which it created.</summary>
    private void CreateDirectory(string directory)
    {
        var missing = new List<string>();
        for (var d = Path.GetFullPath(directory); !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Add(d);
            if (Path.GetDirectoryName(d) is null) break;
        }
        if (missing.Count == 0) return;
        Directory.CreateDirectory(directory);
        for (var i = missing.Count - 1; i >= 0; i--) _createdDirectories.Add(missing[i]);
    }
}
