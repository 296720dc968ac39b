using System.Buffers.Binary;
using CsCheck;
using Tarn.Checksums;
using Tarn.State.Checkpoints;

namespace Tarn.State.Tests;

public sealed class CheckpointMarkerTests
{
    private static readonly Gen<CheckpointMarker> GenMarker =
        Gen.Select(Gen.Long[1, long.MaxValue], Gen.Guid, Gen.Long[0, 1000], Gen.Int[12, 30], Gen.Long[0, 1L << 40], Gen.Long[0, 1L << 40],
            Gen.Select(Gen.String.AlphaNumeric, Gen.Long[0, long.MaxValue], Gen.UInt).Array[0, 8])
        .Select((number, token, version, pageBits, logBegin, logEnd, files) => new CheckpointMarker
        {
            Number = number,
            Token = token,
            FasterVersion = version,
            PageSizeBits = pageBits,
            SegmentSizeBits = pageBits + 2,
            LogBeginAddress = logBegin,
            LogEndAddress = logEnd,
            Files = files.Select(f => new CheckpointFile("checkpoints/x/" + f.Item1 + ".dat", f.Item2, f.Item3)).ToList(),
        });

    [Fact]
    [Trait("Spec", "STATE-002")]
    public void Markers_round_trip()
    {
        GenMarker.Sample(marker =>
        {
            var parsed = CheckpointMarker.Parse(marker.Serialize(), "m");
            Assert.Equal(marker.Number, parsed.Number);
            Assert.Equal(marker.Token, parsed.Token);
            Assert.Equal(marker.FasterVersion, parsed.FasterVersion);
            Assert.Equal(marker.PageSizeBits, parsed.PageSizeBits);
            Assert.Equal(marker.SegmentSizeBits, parsed.SegmentSizeBits);
            Assert.Equal(marker.LogBeginAddress, parsed.LogBeginAddress);
            Assert.Equal(marker.LogEndAddress, parsed.LogEndAddress);
            Assert.Equal(marker.Files, parsed.Files);
        });
    }

    [Fact]
    [Trait("Spec", "STATE-002")]
    public void Damaged_markers_are_reported_as_corruption_naming_the_file()
    {
        // Any truncation or bit flip fails the CRC.
        Gen.Select(GenMarker, Gen.Int[0, 1 << 20], Gen.Int[0, 7], Gen.Bool).Sample((marker, position, bit, truncate) =>
        {
            var bytes = marker.Serialize();
            if (truncate)
                bytes = bytes[..(position % bytes.Length)];
            else
                bytes[position % bytes.Length] ^= (byte)(1 << bit);
            AssertCorrupt(bytes);
        });
        // Well-checksummed garbage exercises every structural check: it must never escape as another exception.
        Gen.Select(GenMarker, Gen.Byte.Array[1, 64], Gen.Int[0, 1 << 20], Gen.Int[0, 100]).Sample((marker, junk, position, cut) =>
        {
            var body = marker.Serialize()[..^4];
            var at = position % body.Length;
            junk.AsSpan(0, Math.Min(junk.Length, body.Length - at)).CopyTo(body.AsSpan(at));
            body = body[..Math.Max(0, body.Length - cut % 3 * (cut % 17))];
            var bytes = new byte[body.Length + 4];
            body.CopyTo(bytes, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(body.Length), Crc32C.Compute(body));
            try
            {
                CheckpointMarker.Parse(bytes, "m");
            }
            catch (TarnException e)
            {
                Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
                Assert.Equal("m", e.FilePath);
            }
        });
    }

    private static void AssertCorrupt(byte[] bytes)
    {
        var error = Assert.Throws<TarnException>(() => CheckpointMarker.Parse(bytes, "m"));
        Assert.Equal(SqlStates.DataCorrupted, error.SqlState);
        Assert.Equal("m", error.FilePath);
    }
}
