namespace Tarn.Console;

/// <summary>
/// Ctrl-C policy: while a statement runs, the first Ctrl-C cancels it (its token fires) and the process lives on; a
/// second Ctrl-C before it ends, or any Ctrl-C while nothing runs, lets the default handling end the process.
/// </summary>
internal sealed class InterruptHandler : IDisposable
{
    private readonly object _gate = new();
    private readonly TextWriter? _notices;
    private CancellationTokenSource? _running;
    private bool _cancelRequested;
    private bool _attached;
    private bool _quiet;

    public InterruptHandler(TextWriter? notices = null) => _notices = notices;

    /// <summary>A handler hooked to the process's Ctrl-C (SIGINT) signal.</summary>
    public static InterruptHandler AttachToConsole(TextWriter notices)
    {
        var handler = new InterruptHandler(notices) { _attached = true };
        System.Console.CancelKeyPress += handler.OnCancelKeyPress;
        return handler;
    }

    /// <summary>
    /// Marks the start of a statement (or script); the token is cancelled by the first Ctrl-C. <paramref name="quiet"/>:
    /// Ctrl-C is the normal way to end it (a live query), so no "Cancelling" notice.
    /// </summary>
    public CancellationToken BeginStatement(bool quiet = false)
    {
        lock (_gate)
        {
            _running?.Dispose();
            _running = new CancellationTokenSource();
            _cancelRequested = false;
            _quiet = quiet;
            return _running.Token;
        }
    }

    public void EndStatement()
    {
        lock (_gate)
        {
            _running?.Dispose();
            _running = null;
            _cancelRequested = false;
        }
    }

    /// <summary>Handles one Ctrl-C; true when it was absorbed by cancelling the running statement.</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_running is null || _cancelRequested) return false;
            _cancelRequested = true;
            _running.Cancel();
            return true;
        }
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        var quiet = _quiet;
        if (!Interrupt()) return;
        e.Cancel = true;
        if (!quiet) _notices?.WriteLine("Cancelling statement (press Ctrl-C again to exit)...");
    }

    public void Dispose()
    {
        if (_attached) System.Console.CancelKeyPress -= OnCancelKeyPress;
        EndStatement();
    }
}
