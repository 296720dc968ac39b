using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Flink's legacy group window aggregation, bound as the window table functions it stands for:
/// <c>GROUP BY TUMBLE(time, size)</c>, <c>HOP(time, slide, size)</c> or <c>SESSION(time, gap)</c> (with the other
/// GROUP BY columns) over a single table groups by window_start and window_end of
/// <c>TABLE(TUMBLE(TABLE t, DESCRIPTOR(time), size))</c> (HOP, and SESSION partitioned by the other GROUP BY columns);
/// <c>TUMBLE_START</c>/<c>_END</c>/<c>_ROWTIME</c>/<c>_PROCTIME</c> (and the HOP_ and SESSION_ forms) read
/// window_start, window_end and window_time.
/// </summary>
public sealed partial class Binder
{
    private (SelectBody Select, NodeList<OrderItem> OrderBy) RewriteGroupWindows(SelectBody select, NodeList<OrderItem> orderBy)
    {
        if (select.GroupBy.IsEmpty) return (select, orderBy);
        FunctionCall? window = null;
        var others = new List<Expression>();
        foreach (var g in select.GroupBy)
        {
            if (g is ExpressionGrouping { Expression: FunctionCall { Over: null, Name.Parts.Count: 1 } call } && GroupWindowKind(call) is not null)
            {
                if (window is not null) throw Error(SqlStates.GroupingError, "a query can group by one window only", call.Position);
                window = call;
            }
            else if (g is ExpressionGrouping e) others.Add(e.Expression);
        }
        if (window is null) return (select, orderBy);

        var kind = GroupWindowKind(window)!;
        var arity = kind == "HOP" ? 3 : 2;
        if (window.Arguments.Count != arity || window.Arguments[0] is not ColumnRef time)
            throw Error(SqlStates.UndefinedFunction, kind switch
            {
                "HOP" => "HOP(time_column, slide, size)",
                "SESSION" => "SESSION(time_column, gap)",
                _ => "TUMBLE(time_column, size)",
            } + " groups rows into windows", window.Position);
        if (select.From is not [NamedTable { Hints.IsEmpty: true, SystemTime: null } table])
            throw Error(SqlStates.FeatureNotSupported, $"GROUP BY {kind}(...) needs a single table in FROM; over a join or subquery use TABLE({kind}(...))", window.Position);

        var partition = new List<Identifier>();
        if (kind == "SESSION")
        {
            // Sessions of the legacy form are per group: the other GROUP BY columns partition them. A WHERE would
            // have to run before the sessions are formed, which only the table function form can say.
            if (select.Where is not null)
                throw Error(SqlStates.FeatureNotSupported, "GROUP BY SESSION(...) with WHERE: use TABLE(SESSION((SELECT ... WHERE ...) ...)) instead", window.Position);
            foreach (var o in others)
            {
                if (o is not ColumnRef c) throw Error(SqlStates.FeatureNotSupported, "GROUP BY SESSION(...) groups by columns only", o.Position);
                partition.Add(c.Parts[^1]);
            }
        }

        var data = new TableArgument(table.Name, table.Position) { PartitionBy = [.. partition] };
        var arguments = new List<Expression> { data, new DescriptorExpression([time.Parts[^1]], time.Position) };
        arguments.AddRange(window.Arguments.Skip(1));
        var tvf = new FunctionCall(window.Name, [.. arguments], false, null, null, window.Position);
        var alias = table.Alias ?? new TableAlias(table.Name.Name, [], table.Position);
        var from = new FunctionTable(tvf, false, alias, table.Position);

        var groupBy = new List<GroupingElement>();
        foreach (var g in select.GroupBy)
        {
            if (g is ExpressionGrouping { Expression: FunctionCall f } && ReferenceEquals(f, window))
            {
                groupBy.Add(new ExpressionGrouping(WindowColumn("window_start", g.Position), g.Position));
                groupBy.Add(new ExpressionGrouping(WindowColumn("window_end", g.Position), g.Position));
                groupBy.Add(new ExpressionGrouping(WindowColumn("window_time", g.Position), g.Position)); // for _ROWTIME; follows from window_end
            }
            else groupBy.Add(g);
        }

        T Rewrite<T>(T node) where T : Node => AstRewriter.Rewrite(node, n => n is FunctionCall { Over: null, Name.Parts.Count: 1 } f ? WindowProperty(kind, f) : null);
        var rewritten = select with
        {
            From = [from],
            GroupBy = [.. groupBy],
            Items = [.. select.Items.Select(Rewrite)],
            Having = select.Having is null ? null : Rewrite(select.Having),
        };
        return (rewritten, [.. orderBy.Select(Rewrite)]);
    }

    private static string? GroupWindowKind(FunctionCall call) => call.Name.Parts[0].Value.ToUpperInvariant() switch
    {
        "TUMBLE" => "TUMBLE",
        "HOP" => "HOP",
        "SESSION" => "SESSION",
        _ => null,
    };

    /// <summary>TUMBLE_START(...) and friends as the window column they read; null for other calls.</summary>
    private static ColumnRef? WindowProperty(string kind, FunctionCall call)
    {
        var name = call.Name.Parts[0].Value.ToUpperInvariant();
        var prefix = kind + "_";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return name[prefix.Length..] switch
        {
            "START" => WindowColumn("window_start", call.Position),
            "END" => WindowColumn("window_end", call.Position),
            "ROWTIME" or "PROCTIME" => WindowColumn("window_time", call.Position),
            _ => null,
        };
    }

    private static ColumnRef WindowColumn(string name, SourcePosition position) => new([new Identifier(name, false, position)], position);
}
