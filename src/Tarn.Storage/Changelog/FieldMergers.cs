using System.Numerics;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Changelog;

/// <summary>The cells of one column: where a cell reference points, and the column's computed values.</summary>
internal sealed class ColumnCells(List<ColumnBatch> sources, int column, DataType type)
{
    public ColumnVector Computed { get; } = ColumnVector.Create(type, 16);

    public ColumnVector Vector(long cell) => Cells.Source(cell) == Cells.Computed ? Computed : sources[Cells.Source(cell)].Columns[column];

    public bool IsNull(long cell) => cell < 0 || Vector(cell).IsNull(Cells.Row(cell));

    public T Get<T>(long cell) where T : unmanaged => ((PrimitiveVector<T>)Vector(cell)).Values[Cells.Row(cell)];

    public long Append<T>(T value) where T : unmanaged
    {
        var v = (PrimitiveVector<T>)Computed;
        v.Append(value);
        return Cells.Ref(Cells.Computed, v.Count - 1);
    }

    public long AppendConcat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> delimiter, ReadOnlySpan<byte> b)
    {
        var v = (BinaryVector)Computed;
        var buffer = new byte[a.Length + delimiter.Length + b.Length];
        a.CopyTo(buffer);
        delimiter.CopyTo(buffer.AsSpan(a.Length));
        b.CopyTo(buffer.AsSpan(a.Length + delimiter.Length));
        v.Append(buffer);
        return Cells.Ref(Cells.Computed, v.Count - 1);
    }
}

/// <summary>
/// One aggregate function of an aggregation table's field (storage-spec DB-056): how the field's current cell and an
/// incoming cell combine, and how a retraction (-U/-D) undoes an input. Cells are NULL when negative or NULL in their source.
/// </summary>
internal abstract class FieldMerger(ColumnCells cells, string column, FieldAggregate function)
{
    protected ColumnCells Cells { get; } = cells;

    protected string ColumnName { get; } = column;

    /// <summary>The value of a key's field when the key's first row brings <paramref name="input"/>.</summary>
    public virtual long Init(long input) => input;

    public abstract long Add(long current, long input);

    public virtual long Retract(long current, long input) =>
        throw new TarnException(SqlStates.FeatureNotSupported,
            $"aggregate function '{MergeOptions.Name(function)}' of column '{ColumnName}' cannot retract a row (-U/-D); set 'fields.{ColumnName}.ignore-retract' = 'true' to ignore retractions");

    public static FieldMerger Create(FieldAggregate function, ColumnCells cells, Column column, string delimiter) => function switch
    {
        FieldAggregate.Sum => Numeric(column.Type, cells, column.Name, function, product: false),
        FieldAggregate.Product => Numeric(column.Type, cells, column.Name, function, product: true),
        FieldAggregate.Count => column.Type.Physical switch
        {
            PhysicalType.Int8 => new CountMerger<sbyte>(cells, column.Name, function),
            PhysicalType.Int16 => new CountMerger<short>(cells, column.Name, function),
            PhysicalType.Int32 => new CountMerger<int>(cells, column.Name, function),
            _ => new CountMerger<long>(cells, column.Name, function),
        },
        FieldAggregate.Min => new ExtremeMerger(cells, column.Name, function, max: false),
        FieldAggregate.Max => new ExtremeMerger(cells, column.Name, function, max: true),
        FieldAggregate.ListAgg => new ListAggMerger(cells, column.Name, function, System.Text.Encoding.UTF8.GetBytes(delimiter)),
        FieldAggregate.BoolAnd => new BoolMerger(cells, column.Name, function, and: true),
        FieldAggregate.BoolOr => new BoolMerger(cells, column.Name, function, and: false),
        FieldAggregate.LastValue => new LastMerger(cells, column.Name, function, ignoreNulls: false),
        FieldAggregate.LastNonNullValue => new LastMerger(cells, column.Name, function, ignoreNulls: true),
        FieldAggregate.FirstValue => new FirstMerger(cells, column.Name, function, ignoreNulls: false),
        _ => new FirstMerger(cells, column.Name, function, ignoreNulls: true),
    };

    private static FieldMerger Numeric(DataType type, ColumnCells cells, string name, FieldAggregate function, bool product) => type.Physical switch
    {
        PhysicalType.Int8 => new ArithmeticMerger<sbyte>(cells, name, function, product),
        PhysicalType.Int16 => new ArithmeticMerger<short>(cells, name, function, product),
        PhysicalType.Int32 => new ArithmeticMerger<int>(cells, name, function, product),
        PhysicalType.Int64 => new ArithmeticMerger<long>(cells, name, function, product),
        PhysicalType.Int128 => new ArithmeticMerger<Int128>(cells, name, function, product),
        PhysicalType.Float32 => new ArithmeticMerger<float>(cells, name, function, product),
        _ => new ArithmeticMerger<double>(cells, name, function, product),
    };
}

/// <summary>sum (retract subtracts) and product (retract divides). Decimals are scaled integers: their sum is the integer sum.</summary>
internal sealed class ArithmeticMerger<T>(ColumnCells cells, string column, FieldAggregate function, bool product)
    : FieldMerger(cells, column, function) where T : unmanaged, INumber<T>
{
    public override long Add(long current, long input)
    {
        if (Cells.IsNull(input)) return current;
        if (Cells.IsNull(current)) return input;
        var a = Cells.Get<T>(current);
        var b = Cells.Get<T>(input);
        return Cells.Append(product ? a * b : a + b);
    }

    public override long Retract(long current, long input)
    {
        if (Cells.IsNull(input)) return current;
        var b = Cells.Get<T>(input);
        if (Cells.IsNull(current)) return product ? current : Cells.Append(-b);
        var a = Cells.Get<T>(current);
        if (!product) return Cells.Append(a - b);
        if (T.IsZero(b)) throw new TarnException(SqlStates.DivisionByZero, $"product of column '{ColumnName}' cannot retract a zero factor");
        return Cells.Append(a / b);
    }
}

/// <summary>count: the number of non-NULL inputs (retract subtracts one).</summary>
internal sealed class CountMerger<T>(ColumnCells cells, string column, FieldAggregate function)
    : FieldMerger(cells, column, function) where T : unmanaged, INumber<T>
{
    public override long Init(long input) => Cells.Append(Cells.IsNull(input) ? T.Zero : T.One);

    public override long Add(long current, long input) =>
        Cells.IsNull(input) ? current : Cells.Append((Cells.IsNull(current) ? T.Zero : Cells.Get<T>(current)) + T.One);

    public override long Retract(long current, long input) =>
        Cells.IsNull(input) ? current : Cells.Append((Cells.IsNull(current) ? T.Zero : Cells.Get<T>(current)) - T.One);
}

internal sealed class ExtremeMerger(ColumnCells cells, string column, FieldAggregate function, bool max) : FieldMerger(cells, column, function)
{
    public override long Add(long current, long input)
    {
        if (Cells.IsNull(input)) return current;
        if (Cells.IsNull(current)) return input;
        var c = Changelog.Cells.Compare(Cells.Vector(current), Changelog.Cells.Row(current), Cells.Vector(input), Changelog.Cells.Row(input));
        return max ? (c >= 0 ? current : input) : (c <= 0 ? current : input);
    }
}

internal sealed class ListAggMerger(ColumnCells cells, string column, FieldAggregate function, byte[] delimiter) : FieldMerger(cells, column, function)
{
    public override long Add(long current, long input)
    {
        if (Cells.IsNull(input)) return current;
        if (Cells.IsNull(current)) return input;
        return Cells.AppendConcat(Changelog.Cells.Bytes(Cells.Vector(current), Changelog.Cells.Row(current)), delimiter,
            Changelog.Cells.Bytes(Cells.Vector(input), Changelog.Cells.Row(input)));
    }
}

internal sealed class BoolMerger(ColumnCells cells, string column, FieldAggregate function, bool and) : FieldMerger(cells, column, function)
{
    public override long Add(long current, long input)
    {
        if (Cells.IsNull(input)) return current;
        if (Cells.IsNull(current)) return input;
        var c = Cells.Get<bool>(current);
        return and ? (c ? input : current) : (c ? current : input);
    }
}

internal sealed class LastMerger(ColumnCells cells, string column, FieldAggregate function, bool ignoreNulls) : FieldMerger(cells, column, function)
{
    public override long Add(long current, long input) => ignoreNulls && Cells.IsNull(input) ? current : input;

    /// <summary>Retracting the last value leaves no value (Paimon sets the field to NULL).</summary>
    public override long Retract(long current, long input) => Changelog.Cells.Null;
}

internal sealed class FirstMerger(ColumnCells cells, string column, FieldAggregate function, bool ignoreNulls) : FieldMerger(cells, column, function)
{
    public override long Add(long current, long input) => ignoreNulls && Cells.IsNull(current) ? input : current;
}
