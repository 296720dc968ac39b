using System.Globalization;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Server.PgWire.Catalog;

/// <summary>Builds a query result (one column batch) from computed catalog rows.</summary>
internal static class PgCatalogResult
{
    public static TarnResult Build(IReadOnlyList<PgSystemColumn> columns, IEnumerable<object?[]> rows)
    {
        var vectors = new ColumnVector[columns.Count];
        for (var c = 0; c < vectors.Length; c++) vectors[c] = ColumnVector.Create(columns[c].Type, 16);
        var count = 0;
        foreach (var row in rows)
        {
            for (var c = 0; c < vectors.Length; c++) Append(vectors[c], c < row.Length ? row[c] : null);
            count++;
        }
        var described = new TarnColumn[columns.Count];
        for (var c = 0; c < described.Length; c++) described[c] = new TarnColumn(columns[c].Name, columns[c].Type);
        return new TarnResult(StatementKind.Query, described, count == 0 ? [] : [new ColumnBatch(vectors, count)]);
    }

    /// <summary>Columns of the given names, all text (what psql's describe queries read).</summary>
    public static PgSystemColumn[] TextColumns(params string[] names)
    {
        var columns = new PgSystemColumn[names.Length];
        for (var i = 0; i < names.Length; i++) columns[i] = new PgSystemColumn(names[i], DataType.String);
        return columns;
    }

    private static void Append(ColumnVector vector, object? value)
    {
        if (value is null)
        {
            vector.AppendNull();
            return;
        }
        switch (vector)
        {
            case BinaryVector b: b.Append(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""); break;
            case PrimitiveVector<bool> v: v.Append((bool)value); break;
            case PrimitiveVector<short> v: v.Append(Convert.ToInt16(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<int> v: v.Append(Convert.ToInt32(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<long> v: v.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<float> v: v.Append(Convert.ToSingle(value, CultureInfo.InvariantCulture)); break;
            case PrimitiveVector<double> v: v.Append(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            default: throw new InvalidOperationException($"no catalog value of type {vector.Type}");
        }
    }
}
