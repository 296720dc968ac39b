using System.Diagnostics;
using System.Globalization;

namespace Tarn.Console;

/// <summary>
/// Shows how far a long statement has read its input (<see cref="TarnSession.Progress"/>) as one line on the
/// terminal's error stream, redrawn in place: nothing for statements that finish within a second, and the line is
/// erased when the statement ends, so results and errors print as usual.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly TimeSpan _delay;
    private readonly TarnSession _session;
    private readonly TextWriter _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _drawnWidth;
    private bool _disposed;

    private ProgressLine(TarnSession session, TextWriter error, TimeSpan delay)
    {
        _delay = delay;
        _session = session;
        _error = error;
        session.Progress += OnProgress;
    }

    /// <summary>Listens to <paramref name="session"/>'s progress until disposed; null when <paramref name="enabled"/> is false.</summary>
    /// <param name="delay">How long a statement runs before the line appears (a second, unless a test says otherwise).</param>
    public static ProgressLine? Attach(TarnSession session, TextWriter error, bool enabled, TimeSpan? delay = null) =>
        enabled ? new ProgressLine(session, error, delay ?? TimeSpan.FromSeconds(1)) : null;

    private void OnProgress(object? sender, TarnProgress progress)
    {
        lock (_gate)
        {
            if (_disposed) return;
            if (progress.Done >= progress.Total)
            {
                Erase(); // the scan is complete: results may print next
                return;
            }
            if (_clock.Elapsed < _delay || progress.Total <= 0) return;
            var percent = Math.Min(100, progress.Done * 100 / progress.Total);
            var filled = (int)(percent / 5);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('-', 20 - filled)}] {percent,3}% {Size(progress.Done)} of {Size(progress.Total)} {Shorten(progress.Source)}");
            _error.Write("\r" + text.PadRight(_drawnWidth));
            _error.Flush();
            _drawnWidth = text.Length;
        }
    }

    private static string Shorten(string source) => source.Length > 40 ? "…" + source[^39..] : source;

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    public void Dispose()
    {
        _session.Progress -= OnProgress;
        lock (_gate)
        {
            _disposed = true;
            Erase();
        }
    }

    private void Erase()
    {
        if (_drawnWidth == 0) return;
        _error.Write("\r" + new string(' ', _drawnWidth) + "\r");
        _error.Flush();
        _drawnWidth = 0;
    }
}
