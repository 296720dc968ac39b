using System.Buffers;
using CsCheck;
using Tarn.State.Typed;

namespace Tarn.State.Tests;

public sealed class KeyedStateTests
{
    [Fact]
    [Trait("Spec", "STATE-011")]
    public void States_with_different_ids_do_not_see_each_other()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(TestOptions.Small(dir.Path));
        using var session = store.NewSession();
        var counts = new KeyedState<string, long>(session, 7, StateCodecs.String, StateCodecs.Int64);
        var names = new KeyedState<string, string>(session, 8, StateCodecs.String, StateCodecs.String);
        var blobs = new KeyedState<long, byte[]>(session, -1, StateCodecs.Int64, StateCodecs.Bytes);
        var ints = new KeyedState<int, int>(session, 0x01020304, StateCodecs.Int32, StateCodecs.Int32);

        counts.Set("x", 1);
        counts.Set("y", 2);
        names.Set("x", "ex");
        blobs.Set(42, [1, 2, 3]);
        ints.Set(-5, 25);
        counts.Set("x", counts.TryGet("x", out var x) ? x + 10 : 0);

        Assert.True(counts.TryGet("x", out x));
        Assert.Equal(11, x);
        Assert.True(names.TryGet("x", out var name));
        Assert.Equal("ex", name);
        Assert.False(names.TryGet("y", out _));
        Assert.True(blobs.TryGet(42, out var blob));
        Assert.Equal(new byte[] { 1, 2, 3 }, blob);
        Assert.True(ints.TryGet(-5, out var square));
        Assert.Equal(25, square);

        // Keys are the big-endian id followed by the codec's bytes.
        Assert.True(session.TryRead([0, 0, 0, 7, (byte)'y'], out ReadOnlySpan<byte> raw));
        Assert.Equal(2L, BitConverter.ToInt64(raw));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ints.Prefix.ToArray());

        Assert.Equal([new("x", 11L), new("y", 2L)], counts.Entries().OrderBy(e => e.Key));
        counts.Remove("x");
        Assert.Equal([new("y", 2L)], counts.Entries());
        Assert.Equal([new("x", "ex")], names.Entries());
        Assert.Equal(42, Assert.Single(blobs.Entries()).Key);
    }

    [Fact]
    [Trait("Spec", "STATE-011")]
    public void Codecs_round_trip()
    {
        Gen.Long.Sample(v => Assert.Equal(v, RoundTrip(StateCodecs.Int64, v)));
        Gen.Int.Sample(v => Assert.Equal(v, RoundTrip(StateCodecs.Int32, v)));
        Gen.String.Sample(v => Assert.Equal(v, RoundTrip(StateCodecs.String, v)));
        Gen.Byte.Array.Sample(v => Assert.Equal(v, RoundTrip(StateCodecs.Bytes, v)));
    }

    [Fact]
    public void Malformed_values_are_reported_as_corruption()
    {
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => StateCodecs.Int64.Read(new byte[7])).SqlState);
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => StateCodecs.Int32.Read(new byte[5])).SqlState);
        Assert.Equal(SqlStates.DataCorrupted, Assert.Throws<TarnException>(() => StateCodecs.String.Read([0xC3])).SqlState);
        Assert.Equal(SqlStates.InvalidParameterValue,
            Assert.Throws<TarnException>(() => StateCodecs.String.Write("\ud800", new ArrayBufferWriter<byte>())).SqlState);
    }

    private static T RoundTrip<T>(IStateCodec<T> codec, T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        codec.Write(value, writer);
        return codec.Read(writer.WrittenSpan);
    }
}
