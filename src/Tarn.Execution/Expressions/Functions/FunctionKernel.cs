using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Base of scalar function kernels: evaluates the arguments, then <see cref="Compute"/> runs one typed loop over the
/// rows. When the first argument arrives dictionary-encoded, the others are constants and the function cannot fail
/// (<c>liftable</c>), the function runs once per dictionary entry instead of once per row, and a string result
/// stays dictionary-encoded. Lifting keeps the dictionary's NULL rows NULL, so only strict functions (NULL in, NULL out)
/// may be liftable.
/// </summary>
public abstract class FunctionKernel(VectorExpression[] args, DataType type, bool liftable) : VectorExpression(type)
{
    private readonly bool _liftable = liftable && args.Length > 0 && args.Skip(1).All(a => a is ConstantExpression);

    protected VectorExpression[] Args { get; } = args;

    /// <summary>Computes rows [0, n); arguments all have n rows. Strict functions call <see cref="StrictNulls"/>.</summary>
    protected abstract ColumnVector Compute(ColumnVector[] args, int n);

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var values = new ColumnVector[Args.Length];
        for (var i = 0; i < values.Length; i++) values[i] = Args[i].Evaluate(batch);
        if (_liftable && values.Length > 0 && values[0] is DictionaryVector d && d.Dictionary.Count > 0 && d.Dictionary.Count <= n)
            return Lift(d, n);
        return Compute(values, n);
    }

    private ColumnVector Lift(DictionaryVector d, int n)
    {
        var entries = d.Dictionary.Count;
        var constants = new ColumnBatch([], entries);
        var values = new ColumnVector[Args.Length];
        values[0] = d.Dictionary;
        for (var i = 1; i < values.Length; i++) values[i] = Args[i].Evaluate(constants);
        var perEntry = Compute(values, entries);
        var codes = SafeCodes(d, n);
        byte[]? nulls = NullMask.Copy(d.Nulls, n);
        if (perEntry.Nulls is { } en)
        {
            for (var i = 0; i < n; i++)
                if (en[codes[i]] != 0) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
        }
        if (perEntry is BinaryVector b) return new DictionaryVector(new BinaryVector(b.Type, b.Offsets, b.Data, b.Count), codes, n, nulls);
        return PhysicalValues.WithNulls(perEntry.Gather(codes.AsSpan(0, n)), nulls);
    }

    /// <summary>The codes with NULL rows pointing at entry 0 (their stored code is unspecified).</summary>
    protected static int[] SafeCodes(DictionaryVector d, int n)
    {
        if (!NullMask.Any(d.Nulls, n)) return d.Codes;
        var codes = new int[Math.Max(n, 1)];
        var src = d.Codes;
        var nulls = d.Nulls!;
        for (var i = 0; i < n; i++) codes[i] = nulls[i] != 0 ? 0 : src[i];
        return codes;
    }

    /// <summary>NULL where any argument is NULL (a new mask, or null when there are none).</summary>
    protected static byte[]? StrictNulls(ColumnVector[] args, int n)
    {
        Span<byte[]?> masks = new byte[]?[args.Length];
        for (var i = 0; i < args.Length; i++) masks[i] = args[i].Nulls;
        return NullMask.Or(masks, n);
    }

    protected static bool IsNull(byte[]? nulls, int row) => nulls is not null && nulls[row] != 0;

    /// <summary>A string result vector; rows that are NULL get an empty value and the mask.</summary>
    protected static BinaryVector NewText(DataType type, int n) => new(type, n, n * 8);
}

/// <summary>Reads an integer argument as long from any integer vector (arguments are BIGINT after binding).</summary>
public static class ArgumentReaders
{
    public static long[] Longs(ColumnVector v) => v switch
    {
        PrimitiveVector<long> l => l.Values,
        PrimitiveVector<int> i => Array.ConvertAll(i.Values, x => (long)x),
        PrimitiveVector<short> s => Array.ConvertAll(s.Values, x => (long)x),
        PrimitiveVector<sbyte> b => Array.ConvertAll(b.Values, x => (long)x),
        _ => throw new InvalidOperationException($"expected an integer vector, got {v.GetType().Name}"),
    };
}
