namespace Tarn.Execution.Streaming.EventTime;

/// <summary>
/// The idle sources behind each input of an operator with several inputs, and the minimum of the inputs' watermarks
/// that leaves out an input whose watermarked sources are all idle (<see cref="SourceActivity"/>).
/// </summary>
public sealed class IdleInputs
{
    private readonly List<SourceActivity>[] _sources;

    public IdleInputs(int inputs)
    {
        _sources = new List<SourceActivity>[inputs];
        for (var i = 0; i < inputs; i++) _sources[i] = [];
    }

    /// <summary>Declares that <paramref name="source"/> feeds <paramref name="input"/>; <paramref name="changed"/> runs when it turns idle.</summary>
    public void Add(int input, SourceActivity source, Action changed)
    {
        _sources[input].Add(source);
        source.OnBecameIdle(changed);
    }

    /// <summary>
    /// The minimum over the inputs that are not idle (a finished input's <see cref="long.MaxValue"/> counts). When
    /// every unfinished input is idle it is the largest watermark among the idle ones (Flink's StatusWatermarkValve
    /// does the same), so the inputs turning idle together still release what the last active one had reached.
    /// </summary>
    public long Min(ReadOnlySpan<long> watermarks)
    {
        var min = long.MaxValue;
        var maxIdle = long.MinValue;
        var anyIdle = false;
        for (var i = 0; i < watermarks.Length; i++)
        {
            if (watermarks[i] != long.MaxValue && IsIdle(i))
            {
                anyIdle = true;
                maxIdle = Math.Max(maxIdle, watermarks[i]);
                continue;
            }
            min = Math.Min(min, watermarks[i]);
        }
        return min == long.MaxValue && anyIdle ? maxIdle : min;
    }

    private bool IsIdle(int input)
    {
        var sources = _sources[input];
        if (sources.Count == 0) return false;
        foreach (var s in sources) if (!s.IsIdle) return false;
        return true;
    }
}

/// <summary>
/// The watermark of an operator with several inputs: the minimum over its inputs without the idle ones
/// (<see cref="IdleInputs"/>); it never moves backwards.
/// </summary>
public sealed class MergedWatermark
{
    private readonly long[] _watermarks;
    private readonly IdleInputs _idle;
    private long _emitted = long.MinValue;

    public MergedWatermark(int inputs)
    {
        _watermarks = new long[inputs];
        Array.Fill(_watermarks, long.MinValue);
        _idle = new IdleInputs(inputs);
    }

    public void AddSource(int input, SourceActivity source, Action changed) => _idle.Add(input, source, changed);

    public void Set(int input, long watermark) => _watermarks[input] = Math.Max(_watermarks[input], watermark);

    /// <summary>The combined watermark if it advanced past the last one returned.</summary>
    public bool TryAdvance(out long watermark)
    {
        watermark = _idle.Min(_watermarks);
        if (watermark <= _emitted) return false;
        _emitted = watermark;
        return true;
    }
}
