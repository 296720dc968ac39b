using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Console.Tests;

/// <summary>Builds TarnResults by hand, so printers are tested without the SQL engine.</summary>
internal static class Results
{
    public static TarnResult Strings(string[] names, IReadOnlyList<string?[]> rows)
    {
        var vectors = new ColumnVector[names.Length];
        var columns = new TarnColumn[names.Length];
        for (var c = 0; c < names.Length; c++)
        {
            columns[c] = new TarnColumn(names[c], DataType.String);
            var vector = new BinaryVector(DataType.String, Math.Max(rows.Count, 1));
            foreach (var row in rows)
            {
                if (row[c] is null) vector.AppendNull();
                else vector.Append(row[c]!);
            }
            vectors[c] = vector;
        }
        return new TarnResult(StatementKind.Query, columns, [new ColumnBatch(vectors, rows.Count)]);
    }

    /// <summary>A result with one column per (name, type, values) triple; values are CLR values as the API takes them.</summary>
    public static TarnResult Columns(params (string Name, DataType Type, object?[] Values)[] spec)
    {
        var vectors = new ColumnVector[spec.Length];
        var columns = new TarnColumn[spec.Length];
        var rows = spec.Length == 0 ? 0 : spec[0].Values.Length;
        for (var c = 0; c < spec.Length; c++)
        {
            columns[c] = new TarnColumn(spec[c].Name, spec[c].Type);
            vectors[c] = ColumnVector.Create(spec[c].Type, Math.Max(rows, 1));
            foreach (var value in spec[c].Values) ValueConverter.AppendClr(vectors[c], value);
        }
        return new TarnResult(StatementKind.Query, columns, [new ColumnBatch(vectors, rows)]);
    }

    /// <summary>The same rows split over several batches, to check printers walk every batch.</summary>
    public static TarnResult SplitIntoBatches(TarnResult result, int rowsPerBatch)
    {
        var whole = result.Batches[0];
        var batches = new List<ColumnBatch>();
        for (var start = 0; start < whole.RowCount; start += rowsPerBatch)
            batches.Add(whole.Slice(start, Math.Min(rowsPerBatch, whole.RowCount - start)));
        return new TarnResult(result.Kind, result.Columns, batches);
    }
}
