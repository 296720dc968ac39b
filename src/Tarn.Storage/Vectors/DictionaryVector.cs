namespace Tarn.Vectors;

/// <summary>
/// A string or bytes column kept as codes into a small dictionary, as the segment stored it. Operators that can
/// work on codes (grouping, equality filters) do; the rest call <see cref="Flatten"/>.
/// A NULL row has a null flag (its code is unspecified).
/// </summary>
public sealed class DictionaryVector : ColumnVector
{
    public DictionaryVector(BinaryVector dictionary, int[] codes, int count, byte[]? nulls) : base(dictionary.Type)
    {
        Dictionary = dictionary;
        Codes = codes;
        Count = count;
        SetNulls(nulls);
    }

    public BinaryVector Dictionary { get; }
    public int[] Codes { get; private set; }

    public override int Capacity => Codes.Length;

    public override void EnsureCapacity(int capacity)
    {
        if (capacity <= Codes.Length) return;
        var c = Codes;
        Array.Resize(ref c, Math.Max(capacity, c.Length * 2));
        Codes = c;
        if (Nulls is not null) EnsureNullMask(Codes.Length);
    }

    public BinaryVector Flatten()
    {
        var dataBytes = 0L;
        for (var i = 0; i < Count; i++) if (!IsNull(i)) dataBytes += Dictionary.Offsets[Codes[i] + 1] - Dictionary.Offsets[Codes[i]];
        var result = new BinaryVector(Type, Count, (int)Math.Min(dataBytes, Array.MaxLength));
        for (var i = 0; i < Count; i++)
        {
            if (IsNull(i)) result.AppendNull();
            else result.Append(Dictionary.GetBytes(Codes[i]));
        }
        return result;
    }

    public override void AppendNull() => throw new InvalidOperationException("dictionary vectors are read-only");
    public override void AppendFrom(ColumnVector source, int row) => throw new InvalidOperationException("dictionary vectors are read-only");

    public override ColumnVector Gather(ReadOnlySpan<int> selection)
    {
        var codes = new int[Math.Max(selection.Length, 1)];
        for (var i = 0; i < selection.Length; i++) codes[i] = Codes[selection[i]];
        return new DictionaryVector(Dictionary, codes, selection.Length, GatherNulls(selection));
    }

    public override ColumnVector Slice(int start, int length)
    {
        var codes = new int[Math.Max(length, 1)];
        Array.Copy(Codes, start, codes, 0, length);
        return new DictionaryVector(Dictionary, codes, length, SliceNulls(start, length));
    }

    protected override object GetValueCore(int row) => Dictionary.GetValue(Codes[row])!;
}
