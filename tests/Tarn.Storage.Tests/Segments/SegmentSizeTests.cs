using Tarn.Storage.Segments;
using Xunit.Abstractions;

namespace Tarn.Storage.Tests.Segments;

public class SegmentSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void Orders_like_data_takes_under_nine_and_a_half_bytes_per_row()
    {
        const int rows = 200_000;
        var batch = OrdersData.Build(rows);
        var image = SegmentTestData.Build(OrdersData.Schema, batch);
        var perRow = (double)image.Bytes.Length / rows;
        var group = image.Footer.RowGroups[0];
        for (var c = 0; c < OrdersData.Schema.Count; c++)
        {
            var bytes = image.Footer.RowGroups.Sum(g => (long)g.Chunks[c].Length);
            output.WriteLine($"{OrdersData.Schema[c].Name,-8} {group.Chunks[c].Encoding,-16} {bytes * 8.0 / rows,6:F2} bits/row");
        }
        output.WriteLine($"total {perRow:F3} bytes/row ({image.Bytes.Length} bytes)");
        Assert.True(perRow < 9.5, $"{perRow:F3} bytes/row");
        Assert.Equal(ChunkEncoding.Delta, group.Chunks[0].Encoding);
        Assert.Equal(ChunkEncoding.Delta, group.Chunks[1].Encoding);
        Assert.Equal(ChunkEncoding.DecimalScaled, group.Chunks[3].Encoding);
        Assert.Equal(ChunkEncoding.Dictionary, group.Chunks[4].Encoding);
        Assert.Equal(ChunkEncoding.Delta, group.Chunks[5].Encoding);
        SegmentTestData.ReadAndCompare(image.Bytes, batch);
    }
}
