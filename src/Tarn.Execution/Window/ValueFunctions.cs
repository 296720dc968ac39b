using Tarn.Execution.Vectors;
using Tarn.Planner.Logical;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Window;

/// <summary>
/// LAG, LEAD, FIRST_VALUE, LAST_VALUE and NTH_VALUE pick another row's value: they compute, per input row, which
/// row to take, and gather from one vector holding the values, then a NULL, then (LAG/LEAD) the default values.
/// </summary>
public static class ValueFunctions
{
    public static ColumnVector Compute(WindowFunctionKind kind, WindowPartitions parts, int[]? frameStart, int[]? frameEnd,
        ColumnVector value, ColumnVector? offsets, ColumnVector? defaults, DataType type)
    {
        var n = parts.Count;
        var order = parts.Order;
        var nullSlot = n;
        var defaultBase = n + 1;
        var source = new int[n];
        var offsetValues = (offsets as PrimitiveVector<long>)?.Values;
        for (var i = 0; i < n; i++)
        {
            var row = order[i];
            int pick;
            switch (kind)
            {
                case WindowFunctionKind.Lag or WindowFunctionKind.Lead:
                {
                    if (offsets!.IsNull(row))
                    {
                        pick = nullSlot;
                        break;
                    }
                    var k = offsetValues![row];
                    var j = kind == WindowFunctionKind.Lag ? i - k : i + k;
                    pick = j >= parts.PartitionStart[i] && j < parts.PartitionEnd[i] ? order[j]
                        : defaults is null ? nullSlot : defaultBase + row;
                    break;
                }
                case WindowFunctionKind.FirstValue:
                    pick = frameStart![i] < frameEnd![i] ? order[frameStart[i]] : nullSlot;
                    break;
                case WindowFunctionKind.LastValue:
                    pick = frameStart![i] < frameEnd![i] ? order[frameEnd[i] - 1] : nullSlot;
                    break;
                default:
                {
                    if (offsets!.IsNull(row))
                    {
                        pick = nullSlot;
                        break;
                    }
                    var nth = offsetValues![row];
                    if (nth <= 0) throw new TarnException(SqlStates.InvalidParameterValue, "argument of NTH_VALUE must be greater than zero");
                    var j = frameStart![i] + nth - 1;
                    pick = j < frameEnd![i] ? order[(int)j] : nullSlot;
                    break;
                }
            }
            source[row] = pick;
        }
        return Pick(value, defaults, source, type);
    }

    /// <summary>Gathers <paramref name="source"/> from [values, NULL, defaults].</summary>
    public static ColumnVector Pick(ColumnVector values, ColumnVector? defaults, int[] source, DataType type)
    {
        var combined = ColumnVector.Create(type, values.Count + 1 + (defaults?.Count ?? 0));
        VectorAppend.Append(combined, values);
        combined.AppendNull();
        if (defaults is not null) VectorAppend.Append(combined, defaults);
        return combined.Gather(source);
    }
}
