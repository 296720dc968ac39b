using System.Diagnostics;
using ExecutionContext = Tarn.Execution.ExecutionContext;
using QueryProgress = Tarn.Execution.QueryProgress;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reports the bytes a file scan has read of all its files to <see cref="ExecutionContext.Progress"/>, at most every
/// 200 ms (the sizes are taken once, when the scan starts).
/// </summary>
internal sealed class FileScanProgress
{
    private static readonly long Interval = Stopwatch.Frequency / 5;

    private readonly IProgress<QueryProgress>? _sink;
    private readonly long[] _before;
    private readonly long _total;
    private readonly string _source;
    private long _last;

    public FileScanProgress(IReadOnlyList<string> files, ExecutionContext context)
    {
        _sink = context.Progress;
        _before = new long[files.Count];
        _source = files.Count == 1 ? files[0] : files.Count > 0 ? Path.GetDirectoryName(files[0]) ?? "" : "";
        if (_sink is null) return;
        for (var i = 0; i < files.Count; i++)
        {
            _before[i] = _total;
            try { _total += new FileInfo(files[i]).Length; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Reports progress within file <paramref name="file"/> (read through <paramref name="stream"/>).</summary>
    public void Report(int file, Stream? stream)
    {
        if (_sink is null || file < 0 || file >= _before.Length) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _last < Interval) return;
        _last = now;
        long position = 0;
        try { position = stream?.Position ?? 0; } catch (ObjectDisposedException) { }
        _sink.Report(new QueryProgress(_source, Math.Min(_total, _before[file] + position), _total));
    }

    public void Done()
    {
        if (_sink is null) return;
        _sink.Report(new QueryProgress(_source, _total, _total));
    }
}
