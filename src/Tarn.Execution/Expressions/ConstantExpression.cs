using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// A constant in physical form (see <c>BoundLiteral</c>). Evaluates to a vector of copies that is built once and
/// reused (strings as a one-entry <see cref="DictionaryVector"/>). Kernels that can use the scalar directly look
/// for this node at compile time.
/// </summary>
public sealed class ConstantExpression(DataType type, object? value) : VectorExpression(type)
{
    private ColumnVector? _cache;

    public object? Value { get; } = value;

    public bool IsNull => Value is null;

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        if (_cache is null || _cache.Capacity < n) _cache = PhysicalValues.Repeat(Type, Value, Math.Max(n, 1024));
        return _cache switch
        {
            DictionaryVector d => new DictionaryVector(d.Dictionary, d.Codes, n, d.Nulls),
            _ => Resize(_cache, n),
        };
    }

    private static ColumnVector Resize(ColumnVector v, int n) => v switch
    {
        PrimitiveVector<bool> x => new PrimitiveVector<bool>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<sbyte> x => new PrimitiveVector<sbyte>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<short> x => new PrimitiveVector<short>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<int> x => new PrimitiveVector<int>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<long> x => new PrimitiveVector<long>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<Int128> x => new PrimitiveVector<Int128>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<float> x => new PrimitiveVector<float>(v.Type, x.Values, n, x.Nulls),
        PrimitiveVector<double> x => new PrimitiveVector<double>(v.Type, x.Values, n, x.Nulls),
        _ => throw new InvalidOperationException("unexpected constant vector"),
    };

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        if (Value is true)
        {
            candidates.CopyTo(result);
            return candidates.Length;
        }
        return 0;
    }

    public override string ToString() => Value?.ToString() ?? "NULL";
}
