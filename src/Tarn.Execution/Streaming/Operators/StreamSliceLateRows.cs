using Tarn.Execution.Expressions;
using Tarn.Execution.Streaming.EventTime;
using Tarn.Execution.WindowTvf;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// First stage of a sliced HOP aggregate, in front of the slice aggregate: a row whose slice has already been closed
/// may still belong to HOP windows that are open (a window spans several slices), so instead of letting the slice
/// aggregate drop it, the row goes straight to the slice expander as a one-row partial result (COUNT 1 or 0, the value
/// for SUM/MIN/MAX, NULL when the call's FILTER rejects it). The window aggregate above then applies it to the windows
/// still open and drops it for closed ones, as the unsliced aggregate would (Flink's slicing does the same).
/// <para>
/// Those drops are the job's late rows, and this stage is where they are counted and reported: one per (row, closed
/// HOP window holding the row), as the unsliced aggregate counts each window copy of a row, with the window's end as
/// event time. The reported row is this stage's input (its window columns hold the row's slice).
/// </para>
/// </summary>
public sealed class StreamSliceLateRows : IChangeConsumer, ILateRowOperator
{
    private readonly long _sizeMillis;
    private readonly long _stepMillis;
    private readonly long _offsetMillis;
    private readonly StreamGroupAggregate _slices;
    private readonly IChangeConsumer _expander;
    private readonly int _windowEndColumn;
    private readonly VectorExpression[] _keys;
    private readonly AggregateCall[] _calls;
    private readonly VectorExpression?[] _arguments;
    private readonly VectorExpression?[] _filters;

    /// <param name="windowEndColumn">The input column holding the row's slice end.</param>
    /// <param name="hop">The HOP windows' size, step and offset (ms), to tell which windows of a late row are closed.</param>
    public StreamSliceLateRows(StreamGroupAggregate slices, IChangeConsumer expander, int windowEndColumn, (long Size, long Step, long Offset) hop,
        IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateCall> calls, ExecutionContext context)
    {
        (_sizeMillis, _stepMillis, _offsetMillis) = hop;
        _slices = slices;
        _expander = expander;
        _windowEndColumn = windowEndColumn;
        var compiler = new ExpressionCompiler(context);
        _keys = [.. keys.Select(compiler.Compile)];
        _calls = [.. calls];
        _arguments = [.. calls.Select(c => c.Argument is null ? null
            : c.Kind == AggregateKind.Count ? compiler.Compile(c.Argument) : compiler.CompileAs(c.Argument, c.Type))];
        _filters = [.. calls.Select(c => c.Filter is null ? null : compiler.CompileAs(c.Filter, DataType.Boolean))];
    }

    /// <summary>(row, HOP window) pairs dropped because the window had closed when the row arrived.</summary>
    public long LateRows { get; private set; }

    public LateRowReporter? LateRowReporter { get; set; }

    public void Push(ChangeBatch batch)
    {
        var n = batch.RowCount;
        if (n == 0) return;
        var closed = _slices.ClosedUpTo;
        if (closed == long.MinValue)
        {
            _slices.Push(batch);
            return;
        }
        var ends = (PrimitiveVector<long>)Vectors.PhysicalValues.Flatten(batch.Rows[_windowEndColumn]);
        var onTime = new List<int>(n);
        var late = new List<int>();
        for (var r = 0; r < n; r++)
        {
            if (!ends.IsNull(r) && FloorMillis(ends.Values[r]) - 1 <= closed) late.Add(r);
            else onTime.Add(r);
        }
        if (late.Count == 0)
        {
            _slices.Push(batch);
            return;
        }
        if (onTime.Count > 0) _slices.Push(batch.Gather([.. onTime]));
        CountClosedWindows(batch.Rows, late, ends, closed);
        PushPartials(batch.Rows.Gather([.. late]));
    }

    /// <summary>Counts (and reports) the HOP windows of the late rows that the watermark has closed.</summary>
    private void CountClosedWindows(ColumnBatch rows, List<int> late, PrimitiveVector<long> sliceEnds, long watermark)
    {
        var reported = LateRowReporter is null ? null : new List<int>();
        var windowEnds = LateRowReporter is null ? null : new List<long>();
        foreach (var r in late)
        {
            var last = FloorMillis(sliceEnds.Values[r]) - 1;
            var windows = WindowAssignment.Count(WindowTvfKind.Hop, last, _sizeMillis, _stepMillis, _offsetMillis);
            for (var w = 0; w < windows; w++)
            {
                var (_, end) = WindowAssignment.Window(WindowTvfKind.Hop, last, _sizeMillis, _stepMillis, _offsetMillis, w);
                if (end - 1 > watermark) continue;
                LateRows++;
                reported?.Add(r);
                windowEnds?.Add(end);
            }
        }
        if (reported is { Count: > 0 }) LateRowReporter!.Report(rows, [.. reported], [.. windowEnds!], watermark);
    }

    /// <summary>Each row as its own partial result: the keys, then one partial per call.</summary>
    private void PushPartials(ColumnBatch rows)
    {
        var n = rows.RowCount;
        var columns = new ColumnVector[_keys.Length + _calls.Length];
        for (var k = 0; k < _keys.Length; k++) columns[k] = _keys[k].Evaluate(rows);
        var all = new int[n];
        for (var r = 0; r < n; r++) all[r] = r;
        for (var i = 0; i < _calls.Length; i++)
        {
            var accepted = new bool[n];
            if (_filters[i] is { } filter)
            {
                var selected = new int[n];
                var count = filter.Select(rows, all, selected);
                for (var s = 0; s < count; s++) accepted[selected[s]] = true;
            }
            else Array.Fill(accepted, true);
            var call = _calls[i];
            var argument = _arguments[i] is { } a ? Vectors.PhysicalValues.Flatten(a.Evaluate(rows)) : null;
            if (call.Kind is AggregateKind.CountStar or AggregateKind.Count)
            {
                var counts = new long[n];
                for (var r = 0; r < n; r++) counts[r] = accepted[r] && (argument is null || !argument.IsNull(r)) ? 1 : 0;
                columns[_keys.Length + i] = new PrimitiveVector<long>(call.Type, counts, n);
                continue;
            }
            var values = ColumnVector.Create(call.Type, n);
            for (var r = 0; r < n; r++)
            {
                if (accepted[r] && !argument!.IsNull(r)) values.AppendFrom(argument, r);
                else values.AppendNull();
            }
            columns[_keys.Length + i] = values;
        }
        _expander.Push(new ChangeBatch(new ColumnBatch(columns, n)));
    }

    private static long FloorMillis(long micros) => micros >= 0 ? micros / 1000 : (micros - 999) / 1000;

    public void Watermark(long watermark) => _slices.Watermark(watermark);

    public void Flush() => _slices.Flush();

    public void Finish() => _slices.Finish();
}
