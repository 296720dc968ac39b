using System.Buffers;
using System.Text;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>
/// Typed access to one batch of function arguments, resolved once per batch (string views, integer arrays widened to
/// long, double arrays) so the per-row code reads plain arrays without boxing.
/// </summary>
public readonly struct RowArgs
{
    private readonly ColumnVector[] _vectors;
    private readonly StringView[] _strings;
    private readonly long[]?[] _longs;
    private readonly double[]?[] _doubles;

    public RowArgs(ColumnVector[] vectors)
    {
        _vectors = vectors;
        _strings = new StringView[vectors.Length];
        _longs = new long[]?[vectors.Length];
        _doubles = new double[]?[vectors.Length];
        for (var k = 0; k < vectors.Length; k++)
        {
            var v = vectors[k];
            switch (v.Type.Physical)
            {
                case PhysicalType.Binary: _strings[k] = new StringView(v); break;
                case PhysicalType.Float64: _doubles[k] = ((PrimitiveVector<double>)v).Values; break;
                case PhysicalType.Int8 or PhysicalType.Int16 or PhysicalType.Int32 or PhysicalType.Int64: _longs[k] = ArgumentReaders.Longs(v); break;
            }
        }
    }

    public int Count => _vectors.Length;

    public bool IsNull(int k, int row) => _vectors[k].Nulls is { } n && n[row] != 0;

    public ReadOnlySpan<byte> Bytes(int k, int row) => _strings[k].Get(row);

    public string Text(int k, int row) => Utf8Text.Decode(_strings[k].Get(row));

    public long Long(int k, int row) => _longs[k]![row];

    public double Double(int k, int row) => _doubles[k]![row];

    public ColumnVector Vector(int k) => _vectors[k];
}

/// <summary>Computes one row of a string-valued function into <paramref name="output"/>; false means NULL.</summary>
public delegate bool TextRow(in RowArgs args, int row, ArrayBufferWriter<byte> output);

/// <summary>Computes one row of a fixed-width function; false means NULL.</summary>
public delegate bool ValueRow<T>(in RowArgs args, int row, out T value);

/// <summary>
/// A string-valued function given by its per-row body. Strict functions are NULL when any argument is NULL (the body
/// is not called); non-strict bodies check <see cref="RowArgs.IsNull"/> themselves.
/// </summary>
public sealed class TextRowFunction(VectorExpression[] args, DataType type, TextRow body, bool liftable = true, bool strict = true)
    : FunctionKernel(args, type, liftable && strict)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var a = new RowArgs(args);
        var nulls = strict ? StrictNulls(args, n) : null;
        var result = NewText(Type, n);
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
                buffer.ResetWrittenCount();
                if (!body(a, i, buffer))
                {
                    (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
                    result.Append(ReadOnlySpan<byte>.Empty);
                    continue;
                }
                result.Append(buffer.WrittenSpan);
            }
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or TimeoutException)
        {
            throw RowText.Error(e, Type);
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>A fixed-width-valued function (INT, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP) given by its per-row body.</summary>
public sealed class ValueRowFunction<T>(VectorExpression[] args, DataType type, ValueRow<T> body, bool liftable = true, bool strict = true)
    : FunctionKernel(args, type, liftable && strict) where T : unmanaged
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var a = new RowArgs(args);
        var nulls = strict ? StrictNulls(args, n) : null;
        var values = new T[Math.Max(n, 1)];
        try
        {
            for (var i = 0; i < n; i++)
            {
                if (IsNull(nulls, i)) continue;
                if (!body(a, i, out values[i])) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            }
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or TimeoutException)
        {
            throw RowText.Error(e, Type);
        }
        return new PrimitiveVector<T>(Type, values, n, nulls);
    }
}

/// <summary>Small helpers for function bodies.</summary>
public static class RowText
{
    public static void Write(ArrayBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text.AsSpan(), output);

    public static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<char> text) => Encoding.UTF8.GetBytes(text, output);

    public static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);

    /// <summary>A CLR exception from a function body as a SQL error: overflow → 22003 (22008 for date/time results),
    /// a rejected argument or a regular expression that runs away → 22023.</summary>
    public static Exception Error(Exception e, DataType type) => e switch
    {
        ArithmeticException when type.Kind is TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampLtz => EvalErrors.DatetimeOverflow(type),
        ArithmeticException => EvalErrors.Translate(e, type),
        ArgumentException => new TarnException(SqlStates.InvalidParameterValue, e.Message, e),
        TimeoutException => new TarnException(SqlStates.InvalidParameterValue, "regular expression match took too long (catastrophic backtracking?)", e),
        _ => e,
    };
}
