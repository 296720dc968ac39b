using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Sql.Ast;
using Tarn.Types;
using AstFrame = Tarn.Sql.Ast.WindowFrame;
using LogicalFrame = Tarn.Planner.Logical.WindowFrameSpec;

namespace Tarn.Planner.Binding;

/// <summary>
/// Window functions (OVER). They are evaluated after WHERE, GROUP BY and HAVING and before DISTINCT, ORDER BY and
/// LIMIT, so their arguments, PARTITION BY and ORDER BY may use grouping keys and aggregates. While a SELECT's list
/// and ORDER BY are bound, each window call is recorded and replaced by a placeholder column reference; once the
/// aggregation's width is final the calls become a <see cref="LogicalWindow"/> and the placeholders point at its
/// result columns.
/// </summary>
public sealed partial class Binder
{
    /// <summary>Placeholder column indexes for window results start here (far above any real column).</summary>
    private const int WindowPlaceholderBase = 1 << 28;

    /// <summary>The window calls of the SELECT being bound, or null where window calls are not allowed.</summary>
    private WindowBindingState? _window;

    private sealed class WindowBindingState(Dictionary<string, WindowSpecification> named)
    {
        public Dictionary<string, WindowSpecification> Named { get; } = named;
        public List<WindowFunction> Functions { get; } = [];
        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        /// <summary>True while a window call's own arguments or window are bound (another call there is nested).</summary>
        public bool Nested { get; set; }
    }

    /// <summary>Checks where the SELECT's window calls are, resolves its WINDOW clause and starts collecting calls.</summary>
    private WindowBindingState? BeginWindows(SelectBody select, NodeList<OrderItem> orderBy)
    {
        if (select.Where is not null) RejectWindowCalls(select.Where, "WHERE");
        foreach (var g in select.GroupBy) RejectWindowCalls(g, "GROUP BY");
        if (select.Having is not null) RejectWindowCalls(select.Having, "HAVING");
        var any = !select.Windows.IsEmpty || select.Qualify is not null;
        if (select.Qualify is not null) CheckWindowNesting(select.Qualify, false, false);
        foreach (var item in select.Items) any |= CheckWindowNesting(item.Expression, false, false);
        foreach (var o in orderBy) any |= CheckWindowNesting(o.Expression, false, false);
        if (!any) return null;

        var named = new Dictionary<string, WindowSpecification>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in select.Windows)
        {
            var spec = definition.Specification.BaseWindow is null ? definition.Specification : ResolveWindow(definition.Specification, named);
            if (!named.TryAdd(definition.Name.Value, spec))
                throw Error(SqlStates.WindowingError, $"window '{definition.Name.Value}' is already defined", definition.Position);
        }
        var state = new WindowBindingState(named);
        _window = state;
        return state;
    }

    private static bool IsWindowCall(Node n) => n is FunctionCall { Over: not null };

    private static void RejectWindowCalls(Node clause, string name)
    {
        if (AstWalker.Any(clause, IsWindowCall))
            throw Error(SqlStates.WindowingError, $"window functions are not allowed in {name}", FirstWindowCall(clause)!.Position);
    }

    private static Node? FirstWindowCall(Node root)
    {
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (IsWindowCall(node)) return node;
            if (node is Query) continue;
            var children = AstWalker.Children(node).ToList();
            for (var i = children.Count - 1; i >= 0; i--) pending.Push(children[i]); // leftmost first
        }
        return null;
    }

    /// <summary>
    /// Finds window calls; rejects them inside aggregate arguments. Returns whether there is one. Iterative, because
    /// expressions may be chains hundreds of thousands deep (the binder's stack guard covers only recursive binding).
    /// </summary>
    private static bool CheckWindowNesting(Node root, bool inAggregate, bool found)
    {
        var pending = new Stack<(Node Node, bool InAggregate)>();
        pending.Push((root, inAggregate));
        while (pending.Count > 0)
        {
            var (node, insideAggregate) = pending.Pop();
            if (node is Query) continue;
            if (IsWindowCall(node))
            {
                if (insideAggregate) throw Error(SqlStates.GroupingError, "aggregate function calls cannot contain window function calls", node.Position);
                found = true;
            }
            var aggregate = insideAggregate || IsAggregateCall(node);
            foreach (var c in AstWalker.Children(node)) pending.Push((c, aggregate));
        }
        return found;
    }

    /// <summary>OVER (w ...) refines the named window w: it may add ORDER BY (when w has none) and a frame.</summary>
    private static WindowSpecification ResolveWindow(WindowSpecification spec, Dictionary<string, WindowSpecification> named)
    {
        if (spec.BaseWindow is null) return spec;
        if (!named.TryGetValue(spec.BaseWindow.Value, out var baseSpec))
            throw Error(SqlStates.UndefinedObject, $"window '{spec.BaseWindow.Value}' does not exist", spec.BaseWindow.Position);
        if (!spec.PartitionBy.IsEmpty)
            throw Error(SqlStates.WindowingError, $"cannot override PARTITION BY clause of window '{spec.BaseWindow.Value}'", spec.Position);
        if (!spec.OrderBy.IsEmpty && !baseSpec.OrderBy.IsEmpty)
            throw Error(SqlStates.WindowingError, $"cannot override ORDER BY clause of window '{spec.BaseWindow.Value}'", spec.Position);
        if (baseSpec.Frame is not null && (spec.Frame is not null || !spec.OrderBy.IsEmpty))
            throw Error(SqlStates.WindowingError, $"cannot copy window '{spec.BaseWindow.Value}' because it has a frame clause", spec.Position);
        return new WindowSpecification(null, baseSpec.PartitionBy, spec.OrderBy.IsEmpty ? baseSpec.OrderBy : spec.OrderBy,
            spec.Frame ?? baseSpec.Frame, spec.Position);
    }

    /// <summary>Binds <c>f(...) OVER (...)</c> to a placeholder reference to its future result column.</summary>
    private BoundColumnRef BindWindowCall(FunctionCall f, Scope scope, AggregationState? aggregation)
    {
        var state = _window;
        if (state is null) throw Error(SqlStates.WindowingError, "window functions are not allowed here", f.Position);
        if (state.Nested) throw Error(SqlStates.WindowingError, "window function calls cannot be nested", f.Position);
        state.Nested = true;
        try
        {
            var function = BindWindowFunction(f, ResolveWindow(f.Over!, state.Named), scope, aggregation);
            var key = function.ToString() + ":" + function.Type.ToSql() + ":" + function.Type.Nullable;
            if (!state.Index.TryGetValue(key, out var index))
            {
                index = state.Functions.Count;
                state.Functions.Add(function);
                state.Index.Add(key, index);
            }
            return BoundExpressions.Column(WindowPlaceholderBase + index, function.Type);
        }
        finally
        {
            state.Nested = false;
        }
    }

    private WindowFunction BindWindowFunction(FunctionCall f, WindowSpecification spec, Scope scope, AggregationState? aggregation)
    {
        BoundExpression B(Expression x) => BindExpression(x, scope, aggregation);
        var partition = spec.PartitionBy.Select(p => Collations.Key(B(p))).ToList();
        var order = new List<BoundSortKey>();
        foreach (var o in spec.OrderBy)
        {
            var key = Collations.Key(B(o.Expression));
            if (!TypeRules.IsOrderable(key.Type)) throw Error(SqlStates.DatatypeMismatch, $"cannot order by {key.Type.ToSql()}", o.Position);
            var sortKey = MakeSortKey(o, 0);
            order.Add(new BoundSortKey(key, sortKey.Descending, sortKey.NullsFirst));
        }
        var frame = spec.Frame is null
            ? order.Count > 0 ? LogicalFrame.DefaultOrdered : LogicalFrame.WholePartition
            : BindFrame(spec.Frame, order);

        var name = f.Name.Name.Value.ToUpperInvariant();
        var star = f.Arguments.Count == 1 && f.Arguments[0] is StarExpression;
        // FIRST_VALUE / LAST_VALUE are also aggregates (Flink), but OVER they are the window value functions below.
        if (f.Name.Parts.Count == 1 && name is not ("FIRST_VALUE" or "LAST_VALUE") && FunctionRegistry.TryGetAggregate(name, star, out var aggregateKind))
        {
            if (aggregateKind is not (AggregateKind.CountStar or AggregateKind.Count or AggregateKind.Sum or AggregateKind.Avg or AggregateKind.Min or AggregateKind.Max))
                throw Error(SqlStates.FeatureNotSupported, $"{name} is not supported as a window function yet (COUNT, SUM, AVG, MIN and MAX are)", f.Position);
            if (!star && f.Arguments.Count != 1) throw Error(SqlStates.UndefinedFunction, $"{name} takes exactly one argument", f.Position);
            var argument = star ? null : B(f.Arguments[0]);
            if (argument is { Type.Kind: TypeKind.Null } && aggregateKind is not AggregateKind.Count)
                argument = BoundExpressions.Cast(argument, DataType.Int); // MAX(NULL) OVER () is a NULL, as without OVER
            BoundExpression? filter = null;
            if (f.Filter is not null)
            {
                filter = B(f.Filter);
                if (filter.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
                    throw Error(SqlStates.DatatypeMismatch, "FILTER condition must be BOOLEAN", f.Filter.Position);
            }
            var call = BoundExpressions.Aggregate(aggregateKind, argument, f.Distinct, filter);
            return new WindowFunction(WindowFunctionKind.Aggregate, [], call, partition, order, frame, call.Type);
        }
        if (f.Distinct || f.Filter is not null)
            throw Error(SqlStates.FeatureNotSupported, $"DISTINCT and FILTER are not implemented for {name}", f.Position);
        if (f.Name.Parts.Count != 1) throw Error(SqlStates.UndefinedFunction, $"{name} is not a window function", f.Position);
        var args = new List<BoundExpression>();
        foreach (var a in f.Arguments)
        {
            if (a is StarExpression) throw Error(SqlStates.SyntaxError, $"'*' is not a valid argument of {name}", a.Position);
            args.Add(B(a));
        }
        var bigint = DataType.BigInt.WithNullable(false);
        switch (name)
        {
            case "ROW_NUMBER":
                Arity(f, args, 0, 0);
                return new WindowFunction(WindowFunctionKind.RowNumber, [], null, partition, order, frame, bigint);
            case "RANK":
                Arity(f, args, 0, 0);
                return new WindowFunction(WindowFunctionKind.Rank, [], null, partition, order, frame, bigint);
            case "DENSE_RANK":
                Arity(f, args, 0, 0);
                return new WindowFunction(WindowFunctionKind.DenseRank, [], null, partition, order, frame, bigint);
            case "PERCENT_RANK":
                Arity(f, args, 0, 0);
                return new WindowFunction(WindowFunctionKind.PercentRank, [], null, partition, order, frame, DataType.Double.WithNullable(false));
            case "CUME_DIST":
                Arity(f, args, 0, 0);
                return new WindowFunction(WindowFunctionKind.CumeDist, [], null, partition, order, frame, DataType.Double.WithNullable(false));
            case "NTILE":
                Arity(f, args, 1, 1);
                return new WindowFunction(WindowFunctionKind.Ntile, [IntegerArgument(args[0], f, "NTILE")], null, partition, order, frame,
                    DataType.BigInt.WithNullable(args[0].Type.Nullable));
            case "LAG" or "LEAD":
            {
                Arity(f, args, 1, 3);
                var value = args[0];
                var offset = args.Count > 1 ? IntegerArgument(args[1], f, name) : BoundLiteral.Of(1L);
                var type = value.Type;
                BoundExpression? fallback = null;
                if (args.Count > 2)
                {
                    fallback = CoerceStringLiteral(args[2], value.Type, f.Arguments[2].Position);
                    type = TypeRules.CommonType(value.Type, fallback.Type)
                        ?? throw Error(SqlStates.DatatypeMismatch, $"{name} default {fallback.Type.ToSql()} does not match {value.Type.ToSql()}", f.Arguments[2].Position);
                    value = FunctionRegistry.Coerce(value, type);
                    fallback = FunctionRegistry.Coerce(fallback, type);
                }
                if (type.Kind == TypeKind.Null) type = DataType.Int;
                value = FunctionRegistry.Coerce(value, type);
                var kind = name == "LAG" ? WindowFunctionKind.Lag : WindowFunctionKind.Lead;
                List<BoundExpression> bound = fallback is null ? [value, offset] : [value, offset, fallback];
                return new WindowFunction(kind, bound, null, partition, order, frame, type.WithNullable(true));
            }
            case "FIRST_VALUE" or "LAST_VALUE":
                Arity(f, args, 1, 1);
                return new WindowFunction(name == "FIRST_VALUE" ? WindowFunctionKind.FirstValue : WindowFunctionKind.LastValue, [FunctionRegistry.Coerce(args[0], NonNullType(args[0].Type))], null,
                    partition, order, frame, NonNullType(args[0].Type));
            case "NTH_VALUE":
                Arity(f, args, 2, 2);
                return new WindowFunction(WindowFunctionKind.NthValue, [FunctionRegistry.Coerce(args[0], NonNullType(args[0].Type)), IntegerArgument(args[1], f, name)], null,
                    partition, order, frame, NonNullType(args[0].Type));
            default:
                throw Error(SqlStates.UndefinedFunction,
                    $"OVER specified, but {name.ToLowerInvariant()} is not a window function nor an aggregate function", f.Position);
        }
    }

    private static DataType NonNullType(DataType t) => (t.Kind == TypeKind.Null ? DataType.Int : t).WithNullable(true);

    private static void Arity(FunctionCall f, List<BoundExpression> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
            throw Error(SqlStates.UndefinedFunction, $"{f.Name.Name.Value.ToUpperInvariant()} takes {(min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{min} to {max}")} arguments, not {args.Count}", f.Position);
    }

    private static BoundExpression IntegerArgument(BoundExpression e, FunctionCall f, string name)
    {
        if (e.Type.Kind == TypeKind.Null) return BoundLiteral.Null(DataType.BigInt);
        if (!e.Type.IsIntegral) throw Error(SqlStates.DatatypeMismatch, $"argument of {name} must be an integer, not {e.Type.ToSql()}", f.Position);
        return FunctionRegistry.Coerce(e, DataType.BigInt);
    }

    private LogicalFrame BindFrame(AstFrame frame, List<BoundSortKey> order)
    {
        var unit = frame.Unit == FrameUnit.Rows ? WindowFrameUnit.Rows : WindowFrameUnit.Range;
        var start = BindBound(frame.Start, unit, order);
        var end = frame.End is null ? new WindowBound(WindowBoundKind.CurrentRow) : BindBound(frame.End, unit, order);
        if (start.Kind == WindowBoundKind.UnboundedFollowing)
            throw Error(SqlStates.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING", frame.Start.Position);
        if (end.Kind == WindowBoundKind.UnboundedPreceding)
            throw Error(SqlStates.WindowingError, "frame end cannot be UNBOUNDED PRECEDING", frame.Position);
        if (start.Kind == WindowBoundKind.CurrentRow && end.Kind == WindowBoundKind.Preceding)
            throw Error(SqlStates.WindowingError, "frame starting from current row cannot have preceding rows", frame.Position);
        if (start.Kind == WindowBoundKind.Following && end.Kind is WindowBoundKind.Preceding or WindowBoundKind.CurrentRow)
            throw Error(SqlStates.WindowingError, "frame starting from following row cannot have preceding rows", frame.Position);
        return new LogicalFrame(unit, start, end);
    }

    private WindowBound BindBound(FrameBound bound, WindowFrameUnit unit, List<BoundSortKey> order)
    {
        var kind = bound.Kind switch
        {
            FrameBoundKind.UnboundedPreceding => WindowBoundKind.UnboundedPreceding,
            FrameBoundKind.Preceding => WindowBoundKind.Preceding,
            FrameBoundKind.CurrentRow => WindowBoundKind.CurrentRow,
            FrameBoundKind.Following => WindowBoundKind.Following,
            _ => WindowBoundKind.UnboundedFollowing,
        };
        if (kind is not (WindowBoundKind.Preceding or WindowBoundKind.Following)) return new WindowBound(kind);
        var offset = BindExpression(bound.Offset!, Scope.Empty);
        if (offset is not BoundLiteral literal || literal.IsNull)
            throw Error(SqlStates.FeatureNotSupported, "frame offsets must be constants", bound.Offset!.Position);
        if (unit == WindowFrameUnit.Rows)
        {
            if (!offset.Type.IsIntegral) throw Error(SqlStates.DatatypeMismatch, $"ROWS frame offset must be an integer, not {offset.Type.ToSql()}", bound.Offset!.Position);
            var n = Convert.ToInt64(literal.Value, System.Globalization.CultureInfo.InvariantCulture);
            if (n < 0) throw Error(SqlStates.OffsetOutOfRange, "frame offset must not be negative", bound.Offset!.Position);
            return new WindowBound(kind, BoundLiteral.Of(n));
        }
        if (order.Count != 1)
            throw Error(SqlStates.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", bound.Position);
        var keyType = order[0].Expression.Type;
        if (keyType.IsNumeric)
        {
            if (!offset.Type.IsNumeric) throw Error(SqlStates.DatatypeMismatch, $"RANGE offset for {keyType.ToSql()} must be numeric, not {offset.Type.ToSql()}", bound.Offset!.Position);
            if (IsNegative(literal)) throw Error(SqlStates.OffsetOutOfRange, "frame offset must not be negative", bound.Offset!.Position);
            return new WindowBound(kind, literal);
        }
        if (keyType.Kind is TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampLtz && offset.Type.Kind == TypeKind.IntervalDayTime)
        {
            if (IsNegative(literal)) throw Error(SqlStates.OffsetOutOfRange, "frame offset must not be negative", bound.Offset!.Position);
            return new WindowBound(kind, literal);
        }
        throw Error(SqlStates.FeatureNotSupported, $"RANGE offsets are not supported for ORDER BY {keyType.ToSql()} with offset {offset.Type.ToSql()}", bound.Offset!.Position);
    }

    private static bool IsNegative(BoundLiteral literal) => literal.Value switch
    {
        int i => i < 0,
        long l => l < 0,
        short s => s < 0,
        sbyte b => b < 0,
        double d => d < 0 || double.IsNaN(d),
        float f => f < 0 || float.IsNaN(f),
        Int128 w => w < 0,
        _ => false,
    };

    /// <summary>
    /// Adds the window node above <paramref name="plan"/> (the rows after WHERE/GROUP BY/HAVING) and points the
    /// placeholders in <paramref name="items"/> at its result columns.
    /// </summary>
    private LogicalPlan EndWindows(WindowBindingState? state, LogicalPlan plan, List<(BoundExpression Expr, string Name)> items, BoundExpression? qualify)
    {
        if (state is null) return plan;
        _window = null;
        var width = plan.Output.Count;
        BoundExpression Remap(BoundExpression e) => ExpressionRewriter.RemapColumns(e, c => c >= WindowPlaceholderBase ? width + c - WindowPlaceholderBase : c);
        if (state.Functions.Count > 0)
        {
            var columns = plan.Output.Concat(state.Functions.Select((w, i) => new OutputColumn("$window" + i, w.Type))).ToList();
            for (var i = 0; i < items.Count; i++) items[i] = (Remap(items[i].Expr), items[i].Name);
            plan = new LogicalWindow(plan, state.Functions, columns);
        }
        return qualify is null ? plan : new LogicalFilter(plan, Remap(qualify));
    }

    /// <summary>QUALIFY (DuckDB, Snowflake): a filter on rows after their window functions are computed.</summary>
    private BoundExpression? BindQualify(SelectBody select, Scope scope, AggregationState? aggregation)
    {
        if (select.Qualify is null) return null;
        var bound = BindExpression(select.Qualify, scope, aggregation);
        if (bound.Type.Kind is not (TypeKind.Boolean or TypeKind.Null))
            throw Error(SqlStates.DatatypeMismatch, $"argument of QUALIFY must be BOOLEAN, not {bound.Type.ToSql()}", select.Qualify.Position);
        return bound;
    }
}
