namespace Tarn.Connectors.Nexmark;

/// <summary>
/// A VARCHAR column being filled row by row in increasing row order. Rows that are skipped (NULL on other event kinds)
/// get empty offsets lazily, so a row costs nothing for the columns it does not write.
/// </summary>
internal sealed class NexmarkTextColumn
{
    private int _filled; // rows whose end offset is set

    public NexmarkTextColumn(int rows, int bytesPerRow)
    {
        Offsets = new int[rows + 1];
        Data = new byte[Math.Max(16, rows * bytesPerRow)];
    }

    public int[] Offsets { get; }
    public byte[] Data { get; private set; }
    public int Length { get; private set; }

    public void Set(int row, ReadOnlySpan<byte> value)
    {
        var offsets = Offsets;
        var length = Length;
        for (var r = _filled; r < row; r++) offsets[r + 1] = length;
        if (length + value.Length > Data.Length) Grow(length + value.Length);
        value.CopyTo(Data.AsSpan(length));
        Length = length + value.Length;
        offsets[row + 1] = Length;
        _filled = row + 1;
    }

    /// <summary>Sets the end offsets of trailing unwritten rows; call once after the last row.</summary>
    public void Finish(int rows)
    {
        for (var r = _filled; r < rows; r++) Offsets[r + 1] = Length;
        _filled = rows;
    }

    private void Grow(int needed)
    {
        var data = Data;
        Array.Resize(ref data, Math.Max(needed, data.Length * 2));
        Data = data;
    }
}
