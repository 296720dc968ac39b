using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>An input column, returned as is (dictionary vectors stay dictionary vectors).</summary>
public sealed class ColumnExpression(int index, DataType type) : VectorExpression(type)
{
    public int Index { get; } = index;

    public override ColumnVector Evaluate(ColumnBatch batch) => batch.Columns[Index];

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        var v = (PrimitiveVector<bool>)batch.Columns[Index];
        return SelectTrue(v.Values, v.Nulls, candidates, result);
    }

    public override string ToString() => $"#{Index}";
}
