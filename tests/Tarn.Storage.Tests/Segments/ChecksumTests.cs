using System.Text;
using Tarn.Checksums;

namespace Tarn.Storage.Tests.Segments;

public class ChecksumTests
{
    [Theory]
    [Trait("Spec", "CRC-001")]
    [InlineData("ascii:123456789", 0xE3069283u)]
    [InlineData("ascii:", 0x00000000u)]
    [InlineData("ascii:a", 0xC1D04330u)]
    [InlineData("zeros:32", 0x8A9136AAu)]
    [InlineData("ones:32", 0x62A8AB43u)]
    [InlineData("up:32", 0x46DD794Eu)]
    [InlineData("down:32", 0x113FDB5Cu)]
    public void Crc32c_matches_the_published_test_vectors(string input, uint expected)
    {
        var (kind, arg) = (input[..input.IndexOf(':')], input[(input.IndexOf(':') + 1)..]);
        byte[] data = kind switch
        {
            "ascii" => Encoding.ASCII.GetBytes(arg),
            "zeros" => new byte[32],
            "ones" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
            "up" => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            _ => Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(),
        };
        Assert.Equal(expected, Crc32C.Compute(data));
        // Split anywhere, the running form gives the same answer.
        for (var split = 0; split <= data.Length; split++)
            Assert.Equal(expected, Crc32C.Compute(data.AsSpan(0, split), data.AsSpan(split)));
    }
}
