using Tarn.Execution.Expressions.Functions;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// Compiles bound expressions into vector kernels. Parameters become constants, constant subtrees are folded
/// (a subtree whose folding raises an error is left to raise it at run time, and only for rows that reach it),
/// operands are cast to the types the typing rules imply, and the kernel for each node is chosen once by type.
/// </summary>
public sealed partial class ExpressionCompiler(ExecutionContext context)
{
    private static readonly DataType s_boolean = DataType.Boolean;

    public ExecutionContext Context { get; } = context;

    public static VectorExpression Compile(BoundExpression expression, ExecutionContext context) =>
        new ExpressionCompiler(context).Compile(expression);

    /// <summary>Evaluates a column-free expression once (VALUES cells, LIMIT counts, defaults) to its physical value
    /// (see <c>BoundLiteral</c> for the forms); errors are raised as <see cref="TarnException"/>s.</summary>
    public static object? EvaluateConstant(BoundExpression expression, ExecutionContext context)
    {
        var kernel = Compile(expression, context);
        return PhysicalValues.Get(kernel.Evaluate(new ColumnBatch([], 1)), 0);
    }

    public VectorExpression Compile(BoundExpression e)
    {
        var kernel = CompileNode(e);
        if (kernel is ConstantExpression) return kernel;
        kernel.ReferencedColumns = [.. e.ReferencedColumns()];
        kernel.MayFail = SubtreeMayFail(e);
        return HasNoColumns(e) ? Fold(kernel) : kernel;
    }

    /// <summary>Compiles <paramref name="e"/> and casts the result to <paramref name="type"/> if its type differs.</summary>
    public VectorExpression CompileAs(BoundExpression e, DataType type)
    {
        var k = Compile(e);
        return CastTo(k, type, e);
    }

    private VectorExpression CastTo(VectorExpression k, DataType type, BoundExpression source)
    {
        if (k.Type.WithNullable(true).Equals(type.WithNullable(true))) return k;
        var cast = CastCompiler.Create(k, type.WithNullable(k.Type.Nullable), CastMode.Implicit, Context);
        if (cast is ConstantExpression) return cast;
        cast.ReferencedColumns = k.ReferencedColumns;
        cast.MayFail = k.MayFail;
        return k is ConstantExpression ? Fold(cast) : cast;
    }

    private static bool HasNoColumns(BoundExpression e)
    {
        var none = true;
        e.Walk(x => none &= x is not BoundColumnRef);
        none &= !e.IsVolatile; // per-row random values
        return none;
    }

    /// <summary>Evaluates a column-free kernel once; keeps the kernel if that raises an error.</summary>
    private static VectorExpression Fold(VectorExpression kernel)
    {
        if (kernel is ConstantExpression) return kernel;
        try
        {
            var v = kernel.Evaluate(new ColumnBatch([], 1));
            return new ConstantExpression(kernel.Type, PhysicalValues.Get(v, 0));
        }
        catch (TarnException)
        {
            return kernel;
        }
    }

    private static bool SubtreeMayFail(BoundExpression e)
    {
        var fail = false;
        e.Walk(x => fail |= NodeMayFail(x));
        return fail;
    }

    private static bool NodeMayFail(BoundExpression e) => e switch
    {
        BoundArithmetic a => !(a.Type.IsApproximate && a.Operator is ArithmeticOperator.Add or ArithmeticOperator.Subtract or ArithmeticOperator.Multiply),
        BoundNegate n => n.Type.IsIntegral,
        BoundCast c => c.Mode is CastMode.Explicit or CastMode.Assignment,
        BoundLike l => l.Pattern is not BoundLiteral || l.Escape is not (null or BoundLiteral),
        BoundFunctionCall f => f.Name is not ("UPPER" or "LOWER" or "CHAR_LENGTH" or "TRIM" or "LTRIM" or "RTRIM" or "SUBSTRING"
            or "CONCAT" or "CONCAT_WS" or "REPLACE" or "POSITION" or "MD5" or "SHA1" or "SHA256" or "HASH_CODE" or "TO_TIMESTAMP"
            or "TO_DATE" or "GREATEST" or "LEAST" or "CURRENT_TIMESTAMP" or "LOCALTIMESTAMP" or "CURRENT_DATE" or "CURRENT_TIME"),
        _ => false,
    };

    private VectorExpression CompileNode(BoundExpression e) => e switch
    {
        BoundColumnRef c => new ColumnExpression(c.Index, c.Type),
        BoundLiteral l => new ConstantExpression(l.Type, l.Value),
        BoundParameter p => Parameter(p),
        BoundCast c => CastCompiler.Create(Compile(c.Operand), c.Type, c.Mode, Context),
        BoundArithmetic a => Arithmetic(a),
        BoundNegate n => Negate(n),
        BoundConcat c => Concat(c),
        BoundComparison c => Comparison(c),
        BoundLogical l => Logical(l),
        BoundNot n => new NotExpression(CompileAs(n.Operand, s_boolean), n.Type),
        BoundIsNull n => new IsNullExpression(Compile(n.Operand), n.Negated, n.Type),
        BoundIsTruth t => new IsTruthExpression(CompileAs(t.Operand, s_boolean), t.Value, t.Negated, t.Type),
        BoundInList i => InList(i),
        BoundLike l => Like(l),
        BoundCase c => Case(c),
        BoundCoalesce c => new CoalesceExpression([.. c.Operands.Select(o => CompileAs(o, c.Type))], c.Type),
        BoundFunctionCall f => FunctionLibrary.Create(f, [.. f.Arguments.Select(Compile)], Context),
        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"expression {e.GetType().Name} is not supported"),
    };

    private ConstantExpression Parameter(BoundParameter p)
    {
        if (p.Index < 0 || p.Index >= Context.Parameters.Count)
            throw new TarnException(SqlStates.InvalidParameterReference, $"there is no parameter ${p.Index + 1}");
        var value = Context.Parameters[p.Index];
        if (value is null or DBNull) return new ConstantExpression(p.Type.WithNullable(true), null);
        var type = p.Type.Kind == TypeKind.Null ? InferType(value) : p.Type;
        try
        {
            var v = ColumnVector.Create(type, 1);
            ValueConverter.AppendClr(v, value);
            return new ConstantExpression(type.WithNullable(false), PhysicalValues.Get(v, 0));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"parameter ${p.Index + 1}: cannot convert {value} to {type.ToSql()}", ex);
        }
    }

    private static DataType InferType(object value) => value switch
    {
        bool => DataType.Boolean,
        sbyte => DataType.TinyInt,
        short => DataType.SmallInt,
        int => DataType.Int,
        long => DataType.BigInt,
        float => DataType.Float,
        double => DataType.Double,
        decimal m => DataType.Decimal(38, Math.Min((int)m.Scale, 18)),
        DateOnly => DataType.Date,
        DateTime => DataType.Timestamp(6),
        DateTimeOffset => DataType.TimestampLtz(6),
        TimeOnly => DataType.Time(6),
        byte[] => DataType.Bytes,
        _ => DataType.String,
    };
}
