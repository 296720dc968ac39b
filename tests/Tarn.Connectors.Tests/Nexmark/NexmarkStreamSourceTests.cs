using CsCheck;
using Tarn.Connectors.Generators;
using Tarn.Connectors.Nexmark;
using Tarn.Vectors;
using static Tarn.Connectors.Tests.Nexmark.NexmarkTestData;

namespace Tarn.Connectors.Tests.Nexmark;

public class NexmarkStreamSourceTests
{
    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private static GeneratorStreamSource Source(NexmarkOptions options, TimeProvider? time = null) =>
        new(Generator(options), new GeneratorPacing(options.MaxEmitSpeed ? null : options.FirstEventRate, options.Limit, options.KeepAlive), "nexmark", time);

    private static List<ColumnBatch> PollAll(GeneratorStreamSource source, IEnumerable<int> sizes)
    {
        var batches = new List<ColumnBatch>();
        foreach (var size in sizes)
            if (source.Poll(size) is { } batch) batches.Add(batch.Rows);
        return batches;
    }

    [Fact]
    public void Polls_of_any_sizes_return_the_events_in_order_up_to_events_num()
    {
        Gen.Select(Options, Gen.Int[1, 600], Gen.Int[1, 150].Array[1, 20]).Sample((options, limit, sizes) =>
        {
            options = options with { EventsNum = limit };
            using var source = Source(options);
            var polled = Rows(PollAll(source, sizes));
            var expected = Rows(Generator(options).Generate(0, (int)Math.Min(limit, sizes.Sum())));
            AssertSameRows(expected, polled);
            Assert.Equal(polled.Count == limit, source.IsFinished);
        }, iter: 50);
    }

    [Fact]
    public void Restoring_a_saved_position_continues_with_the_same_events()
    {
        Gen.Select(Options, Gen.Int[1, 100].Array[0, 10], Gen.Int[1, 100].Array[1, 10]).Sample((options, before, after) =>
        {
            using var original = Source(options);
            PollAll(original, before);
            var position = original.SavePosition();
            var continued = Rows(PollAll(original, after));

            using var restored = Source(options);
            restored.Poll(37); // wherever it was, the position decides where it goes on
            restored.RestorePosition(position);
            AssertSameRows(continued, Rows(PollAll(restored, after)));
            Assert.Equal(original.SavePosition(), restored.SavePosition());
        }, iter: 50);
    }

    [Fact]
    public void A_position_from_another_seed_or_base_time_is_rejected()
    {
        using var a = Source(new NexmarkOptions { Seed = 1 });
        a.Poll(10);
        using var b = Source(new NexmarkOptions { Seed = 2 });
        Assert.Equal(SqlStates.ObjectNotInPrerequisiteState, Assert.Throws<TarnException>(() => b.RestorePosition(a.SavePosition())).SqlState);
        using var c = Source(new NexmarkOptions { Seed = 1, BaseTimeMillis = 0 });
        Assert.Throws<TarnException>(() => c.RestorePosition(a.SavePosition()));
        Assert.Equal(SqlStates.InvalidParameterValue, Assert.Throws<TarnException>(() => c.RestorePosition([1, 2, 3])).SqlState);
    }

    [Fact]
    public void A_bounded_source_finishes_unless_kept_alive_and_stop_at_bounds_it_too()
    {
        using var bounded = Source(new NexmarkOptions { EventsNum = 10 });
        Assert.Equal(10, bounded.Poll(100)!.RowCount);
        Assert.True(bounded.IsFinished);
        Assert.Null(bounded.Poll(100));
        Assert.True(bounded.WaitForDataAsync(CancellationToken.None).IsCompleted);

        using var alive = Source(new NexmarkOptions { EventsNum = 10, KeepAlive = true });
        Assert.Equal(10, alive.Poll(100)!.RowCount);
        Assert.False(alive.IsFinished);
        Assert.Null(alive.Poll(100));
        Assert.False(alive.WaitForDataAsync(CancellationToken.None).IsCompleted);

        using var stopped = Source(new NexmarkOptions { EventsNum = 10, StopAt = 4 });
        Assert.Equal(4, stopped.Poll(100)!.RowCount);
        Assert.True(stopped.IsFinished);

        using var unbounded = Source(new NexmarkOptions());
        Assert.Equal(1000, unbounded.Poll(1000)!.RowCount);
        Assert.False(unbounded.IsFinished);
    }

    [Fact]
    public void Without_max_emit_speed_events_are_paced_at_the_first_event_rate()
    {
        var time = new ManualTime();
        using var source = Source(new NexmarkOptions { MaxEmitSpeed = false, FirstEventRate = 100, NextEventRate = 100 }, time);
        Assert.Null(source.Poll(1000));
        var wait = source.WaitForDataAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(50, source.Poll(1000)!.RowCount);
        time.Advance(TimeSpan.FromMilliseconds(105));
        Assert.True(source.WaitForDataAsync(CancellationToken.None).IsCompleted);
        Assert.Equal(4, source.Poll(4)!.RowCount);
        Assert.Equal(6, source.Poll(1000)!.RowCount);
        Assert.Equal(60, source.NextRow);

        // After a restore the pace restarts from the restored event.
        var position = source.SavePosition();
        using var restored = Source(new NexmarkOptions { MaxEmitSpeed = false, FirstEventRate = 100, NextEventRate = 100 }, time);
        restored.RestorePosition(position);
        Assert.Null(restored.Poll(1000));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, restored.Poll(1000)!.RowCount);
        Assert.Equal(160, restored.NextRow);
    }

    [Fact]
    public async Task Waiting_on_a_kept_alive_finished_source_ends_with_its_cancellation()
    {
        using var alive = Source(new NexmarkOptions { EventsNum = 3, KeepAlive = true });
        Assert.Equal(3, alive.Poll(100)!.RowCount);
        using var cancel = new CancellationTokenSource();
        var pending = alive.WaitForDataAsync(cancel.Token);
        Assert.False(pending.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }
}
