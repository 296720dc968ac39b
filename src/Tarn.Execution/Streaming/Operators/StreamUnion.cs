namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// UNION ALL: every input's changes pass through unchanged. The combined watermark is the minimum over the inputs,
/// and the union finishes when all inputs have; an epoch flush is forwarded once per flush of any input (flushes
/// are idempotent downstream).
/// </summary>
public sealed class StreamUnion
{
    private readonly IChangeConsumer _output;
    private readonly long[] _watermarks;
    private readonly bool[] _finished;
    private long _emitted = long.MinValue;

    public StreamUnion(int inputs, IChangeConsumer output)
    {
        _output = output;
        _watermarks = new long[inputs];
        Array.Fill(_watermarks, long.MinValue);
        _finished = new bool[inputs];
        Inputs = new IChangeConsumer[inputs];
        for (var i = 0; i < inputs; i++) Inputs[i] = new Port(this, i);
    }

    public IChangeConsumer[] Inputs { get; }

    private void OnWatermark(int input, long watermark)
    {
        _watermarks[input] = Math.Max(_watermarks[input], watermark);
        var min = long.MaxValue;
        foreach (var w in _watermarks) min = Math.Min(min, w);
        if (min > _emitted)
        {
            _emitted = min;
            _output.Watermark(min);
        }
    }

    private void OnFinish(int input)
    {
        _finished[input] = true;
        _watermarks[input] = long.MaxValue;
        foreach (var f in _finished) if (!f) { _output.Flush(); return; }
        _output.Finish();
    }

    private sealed class Port(StreamUnion union, int index) : IChangeConsumer
    {
        public void Push(ChangeBatch batch) => union._output.Push(batch);

        public void Watermark(long watermark) => union.OnWatermark(index, watermark);

        public void Flush() => union._output.Flush();

        public void Finish() => union.OnFinish(index);
    }
}
