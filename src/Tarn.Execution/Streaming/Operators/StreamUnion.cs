using Tarn.Execution.Streaming.EventTime;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// UNION ALL: every input's changes pass through unchanged. The combined watermark is the minimum over the inputs
/// (leaving out inputs whose sources are idle, <see cref="MergedWatermark"/>), and the union finishes when all inputs
/// have; an epoch flush is forwarded once per flush of any input (flushes are idempotent downstream).
/// </summary>
public sealed class StreamUnion
{
    private readonly IChangeConsumer _output;
    private readonly MergedWatermark _watermarks;
    private readonly bool[] _finished;

    public StreamUnion(int inputs, IChangeConsumer output)
    {
        _output = output;
        _watermarks = new MergedWatermark(inputs);
        _finished = new bool[inputs];
        Inputs = new IChangeConsumer[inputs];
        for (var i = 0; i < inputs; i++) Inputs[i] = new Port(this, i);
    }

    public IChangeConsumer[] Inputs { get; }

    private void OnWatermark(int input, long watermark)
    {
        _watermarks.Set(input, watermark);
        Advance();
    }

    private void Advance()
    {
        if (_watermarks.TryAdvance(out var combined)) _output.Watermark(combined);
    }

    private void OnFinish(int input)
    {
        _finished[input] = true;
        _watermarks.Set(input, long.MaxValue);
        foreach (var f in _finished) if (!f) { _output.Flush(); return; }
        _output.Finish();
    }

    private sealed class Port(StreamUnion union, int index) : IChangeConsumer, IWatermarkInput
    {
        public void Push(ChangeBatch batch) => union._output.Push(batch);

        public void Watermark(long watermark) => union.OnWatermark(index, watermark);

        public void Flush() => union._output.Flush();

        public void Finish() => union.OnFinish(index);

        public void AddSource(SourceActivity source) => union._watermarks.AddSource(index, source, union.Advance);
    }
}
