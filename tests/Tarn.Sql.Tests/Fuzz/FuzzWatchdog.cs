namespace Tarn.Sql.Tests.Fuzz;

/// <summary>
/// Runs fuzz inputs on a dedicated thread with a modest stack (so a missing depth guard overflows here rather than
/// passing on a big stack) and watches it: an input that runs far longer than its size justifies is reported as a
/// hang, with the input. The limit is generous (seconds per input); it catches hangs, not slowness.
/// </summary>
internal sealed class FuzzWatchdog
{
    private readonly object _gate = new();
    private string? _current;
    private long _started;

    /// <summary>Runs <paramref name="count"/> inputs from <paramref name="next"/> through <paramref name="check"/>; returns the failures.</summary>
    public List<string> Run(int count, Func<int, string> next, Func<string, string?> check, int maxFailures = 5)
    {
        var failures = new List<string>();
        Exception? crash = null;
        var worker = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < count && failures.Count < maxFailures; i++)
                {
                    var input = next(i);
                    lock (_gate)
                    {
                        _current = input;
                        _started = Environment.TickCount64;
                    }
                    var violation = check(input);
                    if (violation is not null)
                    {
                        lock (_gate) failures.Add($"input #{i}: {ParserProperty.Show(input)}\n{violation}");
                    }
                }
            }
            catch (Exception e)
            {
                crash = e;
            }
            finally
            {
                lock (_gate) _current = null;
            }
        }, maxStackSize: 1024 * 1024)
        { IsBackground = true, Name = "parser fuzz" };
        worker.Start();
        while (!worker.Join(200))
        {
            lock (_gate)
            {
                if (_current is null)
                    continue;
                var elapsed = Environment.TickCount64 - _started;
                if (elapsed > Budget(_current))
                {
                    failures.Add($"hang: no result after {elapsed} ms for {ParserProperty.Show(_current)}");
                    return failures; // the worker is a background thread; it cannot be stopped, only abandoned
                }
            }
        }
        if (crash is not null)
            failures.Add($"the fuzz loop itself failed: {crash}");
        return failures;
    }

    /// <summary>Milliseconds an input may take: 20 s, plus 1 ms per 10 characters.</summary>
    private static long Budget(string input) => 20_000 + input.Length / 10;
}
