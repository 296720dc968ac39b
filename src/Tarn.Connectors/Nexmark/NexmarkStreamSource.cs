using System.Buffers.Binary;
using Tarn.Execution.Streaming;
using Tarn.Types;

namespace Tarn.Connectors.Nexmark;

/// <summary>
/// A nexmark table followed as a stream. Events come in event-number order; unless <c>max-emit-speed</c> is true they
/// are paced at <c>first-event.rate</c> per second of wall-clock time since the source was opened (or restored).
/// The position is the number of events returned so far, plus the seed and base time as a guard: restoring into a
/// table whose generator would produce other events is an error rather than a silent change of the stream.
/// </summary>
internal sealed class NexmarkStreamSource : IStreamSource
{
    private const byte PositionVersion = 1;
    private const int PositionLength = 1 + 3 * sizeof(long);

    private readonly NexmarkGenerator _generator;
    private readonly NexmarkOptions _options;
    private readonly TimeProvider _time;
    private readonly long? _limit;
    private long _next;
    private long _paceStart; // TimeProvider timestamp when _paceIndex was due
    private long _paceIndex;

    public NexmarkStreamSource(NexmarkGenerator generator, TimeProvider? time = null)
    {
        _generator = generator;
        _options = generator.Options;
        _time = time ?? TimeProvider.System;
        _limit = _options.Limit;
        RestartPacing();
    }

    public IReadOnlyList<DataType> OutputTypes => _generator.OutputTypes;

    /// <summary>Index of the next event to return (events returned so far).</summary>
    public long NextEvent => _next;

    public bool IsFinished => Exhausted && !_options.KeepAlive;

    private bool Exhausted => _limit is { } limit && _next >= limit;

    public ChangeBatch? Poll(int maxRows)
    {
        var available = Available();
        if (available <= 0 || maxRows <= 0) return null;
        var count = (int)Math.Min(maxRows, available);
        var batch = _generator.Generate(_next, count);
        _next += count;
        return new ChangeBatch(batch);
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellation)
    {
        if (IsFinished || Available() > 0) return ValueTask.CompletedTask;
        if (Exhausted) return new ValueTask(Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellation)); // keep-alive: nothing ever comes
        var dueSeconds = (double)(_next + 1 - _paceIndex) / _options.FirstEventRate;
        var wait = TimeSpan.FromSeconds(dueSeconds) - _time.GetElapsedTime(_paceStart);
        if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
        return new ValueTask(Task.Delay(wait, _time, cancellation));
    }

    public byte[] SavePosition()
    {
        var position = new byte[PositionLength];
        position[0] = PositionVersion;
        BinaryPrimitives.WriteInt64LittleEndian(position.AsSpan(1), _next);
        BinaryPrimitives.WriteUInt64LittleEndian(position.AsSpan(9), _options.Seed);
        BinaryPrimitives.WriteInt64LittleEndian(position.AsSpan(17), _options.BaseTimeMillis);
        return position;
    }

    public void RestorePosition(ReadOnlySpan<byte> position)
    {
        if (position.Length != PositionLength || position[0] != PositionVersion)
            throw new TarnException(SqlStates.InvalidParameterValue, $"not a nexmark source position ({position.Length} bytes)");
        var next = BinaryPrimitives.ReadInt64LittleEndian(position[1..]);
        var seed = BinaryPrimitives.ReadUInt64LittleEndian(position[9..]);
        var baseTime = BinaryPrimitives.ReadInt64LittleEndian(position[17..]);
        if (next < 0) throw new TarnException(SqlStates.InvalidParameterValue, $"nexmark source position has a negative event number {next}");
        if (seed != _options.Seed || baseTime != _options.BaseTimeMillis)
            throw new TarnException(SqlStates.ObjectNotInPrerequisiteState,
                $"the saved nexmark position was taken with seed {seed} and base time {baseTime}, but the table now has seed {_options.Seed} and base time {_options.BaseTimeMillis}; replaying would produce different events");
        _next = next;
        RestartPacing();
    }

    public void Dispose()
    {
    }

    /// <summary>Events that may be returned now: up to the limit, and (when paced) up to the ones due by the wall clock.</summary>
    private long Available()
    {
        var available = _limit is { } limit ? limit - _next : long.MaxValue;
        if (!_options.MaxEmitSpeed)
        {
            var due = _paceIndex + (long)Math.Floor(_time.GetElapsedTime(_paceStart).TotalSeconds * _options.FirstEventRate);
            available = Math.Min(available, due - _next);
        }
        return available;
    }

    private void RestartPacing()
    {
        _paceStart = _time.GetTimestamp();
        _paceIndex = _next;
    }
}
