using System.Text;
using Tarn.Types;

namespace Tarn.Vectors;

/// <summary>
/// Variable-length values (UTF-8 strings and raw bytes) as one byte buffer plus Count+1 offsets:
/// row i is <c>Data[Offsets[i]..Offsets[i+1]]</c>. No .NET string is made on hot paths.
/// </summary>
public sealed class BinaryVector : ColumnVector
{
    public BinaryVector(DataType type, int capacity, int dataCapacity = 0) : base(type)
    {
        Offsets = new int[Math.Max(capacity, 1) + 1];
        Data = new byte[Math.Max(dataCapacity, 16)];
    }

    public BinaryVector(DataType type, int[] offsets, byte[] data, int count, byte[]? nulls = null) : base(type)
    {
        Offsets = offsets;
        Data = data;
        Count = count;
        SetNulls(nulls);
    }

    public int[] Offsets { get; private set; }
    public byte[] Data { get; private set; }

    /// <summary>Bytes used in <see cref="Data"/>.</summary>
    public int DataLength => Offsets[Count];

    public override int Capacity => Offsets.Length - 1;

    public ReadOnlySpan<byte> GetBytes(int row) => Data.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    public string GetString(int row) => Encoding.UTF8.GetString(GetBytes(row));

    public override void EnsureCapacity(int capacity)
    {
        if (capacity + 1 <= Offsets.Length) return;
        var o = Offsets;
        Array.Resize(ref o, Math.Max(capacity + 1, o.Length * 2));
        Offsets = o;
        if (Nulls is not null) EnsureNullMask(Capacity);
    }

    private void EnsureData(int bytes)
    {
        if (bytes <= Data.Length) return;
        var d = Data;
        Array.Resize(ref d, (int)Math.Min(Array.MaxLength, Math.Max((long)bytes, (long)d.Length * 2)));
        Data = d;
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        if (Count + 1 >= Offsets.Length) EnsureCapacity(Count + 1);
        var start = Offsets[Count];
        EnsureData(start + value.Length);
        value.CopyTo(Data.AsSpan(start));
        Offsets[++Count] = start + value.Length;
    }

    public void Append(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (Count + 1 >= Offsets.Length) EnsureCapacity(Count + 1);
        var start = Offsets[Count];
        EnsureData(start + max);
        var written = Encoding.UTF8.GetBytes(value, Data.AsSpan(start));
        Offsets[++Count] = start + written;
    }

    public override void AppendNull()
    {
        if (Count + 1 >= Offsets.Length) EnsureCapacity(Count + 1);
        EnsureNullMask(Capacity)[Count] = 1;
        Offsets[Count + 1] = Offsets[Count];
        Count++;
    }

    public override void AppendFrom(ColumnVector source, int row)
    {
        if (source.IsNull(row)) { AppendNull(); return; }
        if (source is DictionaryVector d) Append(d.Dictionary.GetBytes(d.Codes[row]));
        else Append(((BinaryVector)source).GetBytes(row));
    }

    public override void Reset()
    {
        base.Reset();
        Offsets[0] = 0;
    }

    public override ColumnVector Gather(ReadOnlySpan<int> selection)
    {
        var total = 0;
        for (var i = 0; i < selection.Length; i++) total += Offsets[selection[i] + 1] - Offsets[selection[i]];
        var result = new BinaryVector(Type, selection.Length, total);
        for (var i = 0; i < selection.Length; i++) result.Append(GetBytes(selection[i]));
        result.SetNulls(GatherNulls(selection));
        return result;
    }

    public override ColumnVector Slice(int start, int length)
    {
        var begin = Offsets[start];
        var end = Offsets[start + length];
        var offsets = new int[length + 1];
        for (var i = 0; i <= length; i++) offsets[i] = Offsets[start + i] - begin;
        var data = Data.AsSpan(begin, end - begin).ToArray();
        return new BinaryVector(Type, offsets, data.Length == 0 ? new byte[1] : data, length, SliceNulls(start, length));
    }

    protected override object GetValueCore(int row) =>
        Type.IsString ? GetString(row) : Type.IsArray ? ArrayValues.ToClr(GetBytes(row), Type.Element!) : GetBytes(row).ToArray();
}
