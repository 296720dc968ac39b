using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>UNION ALL: the inputs' batches one input after another. Inputs must have the same column types
/// (the binder casts to the common types first).</summary>
public sealed class UnionAllOperator : IBatchOperator
{
    private readonly IReadOnlyList<IBatchOperator> _inputs;
    private int _current;

    public UnionAllOperator(IReadOnlyList<IBatchOperator> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException("UNION ALL needs inputs", nameof(inputs));
        var first = inputs[0].OutputTypes;
        foreach (var input in inputs)
        {
            var types = input.OutputTypes;
            if (types.Count != first.Count)
                throw new TarnException(SqlStates.DatatypeMismatch, "each UNION query must have the same number of columns");
            for (var i = 0; i < types.Count; i++)
            {
                if (types[i].Physical != first[i].Physical && types[i].Kind != TypeKind.Null)
                    throw new TarnException(SqlStates.DatatypeMismatch,
                        $"UNION column {i + 1} types {first[i].ToSql()} and {types[i].ToSql()} cannot be matched");
            }
        }
        _inputs = inputs;
    }

    public IReadOnlyList<DataType> OutputTypes => _inputs[0].OutputTypes;

    public ColumnBatch? Next()
    {
        while (_current < _inputs.Count)
        {
            var batch = _inputs[_current].Next();
            if (batch is not null) return batch;
            _current++;
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var input in _inputs) input.Dispose();
    }
}
