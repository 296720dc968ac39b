using System.Buffers.Binary;
using Tarn.Execution.Streaming;
using Tarn.Types;

namespace Tarn.Connectors.Generators;

/// <summary>
/// A generator table (nexmark, datagen) followed as a stream. Rows come in row-number order; when paced they are due
/// at <see cref="GeneratorPacing.RowsPerSecond"/> per second of wall-clock time since the source was opened (or
/// restored). The position is the number of rows returned so far plus the seed and base time, so a restored source
/// produces exactly the rows the saved one would have: restoring into a generator that would produce other rows is an
/// error rather than a silent change of the stream.
/// </summary>
internal sealed class GeneratorStreamSource : IStreamSource
{
    private const byte PositionVersion = 1;
    private const int PositionLength = 1 + 3 * sizeof(long);

    private readonly IRowGenerator _generator;
    private readonly GeneratorPacing _pacing;
    private readonly string _what;
    private readonly TimeProvider _time;
    private long _next;
    private long _paceStart; // TimeProvider timestamp when _paceIndex was due
    private long _paceIndex;

    /// <param name="what">Names the generator in errors ("nexmark", "datagen").</param>
    public GeneratorStreamSource(IRowGenerator generator, GeneratorPacing pacing, string what, TimeProvider? time = null)
    {
        _generator = generator;
        _pacing = pacing;
        _what = what;
        _time = time ?? TimeProvider.System;
        RestartPacing();
    }

    public IReadOnlyList<DataType> OutputTypes => _generator.OutputTypes;

    /// <summary>Number of the next row to return (rows returned so far).</summary>
    public long NextRow => _next;

    public bool IsFinished => Exhausted && !_pacing.KeepAlive;

    private bool Exhausted => _pacing.Limit is { } limit && _next >= limit;

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
        var dueSeconds = (_next + 1 - _paceIndex) / _pacing.RowsPerSecond!.Value;
        var wait = TimeSpan.FromSeconds(dueSeconds) - _time.GetElapsedTime(_paceStart);
        if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
        return new ValueTask(Task.Delay(wait, _time, cancellation));
    }

    public byte[] SavePosition()
    {
        var position = new byte[PositionLength];
        position[0] = PositionVersion;
        BinaryPrimitives.WriteInt64LittleEndian(position.AsSpan(1), _next);
        BinaryPrimitives.WriteUInt64LittleEndian(position.AsSpan(9), _generator.Seed);
        BinaryPrimitives.WriteInt64LittleEndian(position.AsSpan(17), _generator.BaseTimeMillis);
        return position;
    }

    public void RestorePosition(ReadOnlySpan<byte> position)
    {
        if (position.Length != PositionLength || position[0] != PositionVersion)
            throw new TarnException(SqlStates.InvalidParameterValue, $"not a {_what} source position ({position.Length} bytes)");
        var next = BinaryPrimitives.ReadInt64LittleEndian(position[1..]);
        var seed = BinaryPrimitives.ReadUInt64LittleEndian(position[9..]);
        var baseTime = BinaryPrimitives.ReadInt64LittleEndian(position[17..]);
        if (next < 0) throw new TarnException(SqlStates.InvalidParameterValue, $"{_what} source position has a negative row number {next}");
        if (seed != _generator.Seed || !_generator.TryRebase(baseTime))
            throw new TarnException(SqlStates.ObjectNotInPrerequisiteState,
                $"the saved {_what} position was taken with seed {seed} and base time {baseTime}, but the table now has seed {_generator.Seed} and base time {_generator.BaseTimeMillis}; replaying would produce different rows");
        _next = next;
        RestartPacing();
    }

    public void Dispose()
    {
    }

    /// <summary>Rows that may be returned now: up to the limit, and (when paced) up to the ones due by the wall clock.</summary>
    private long Available()
    {
        var available = _pacing.Limit is { } limit ? limit - _next : long.MaxValue;
        if (_pacing.RowsPerSecond is { } rate)
        {
            var due = _paceIndex + (long)Math.Floor(_time.GetElapsedTime(_paceStart).TotalSeconds * rate);
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
