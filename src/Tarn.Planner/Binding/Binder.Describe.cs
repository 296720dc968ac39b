using System.Globalization;
using System.Text;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Types;

namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    /// <summary>DuckDB's DESCRIBE columns; every value is a string.</summary>
    private static readonly string[] DescribeColumns = ["column_name", "column_type", "null", "key", "default", "extra"];

    /// <summary>(DESCRIBE query) or (SUMMARIZE query) as a FROM item.</summary>
    private (LogicalPlan Plan, Scope Scope) BindDescribeTable(DescribeTable describe)
    {
        var inner = new Binder(_context) { _outer = _outer };
        inner._ctes.AddRange(_ctes);
        inner.InheritWorkTables(this);
        var described = inner.BindQuery(describe.Query).Plan.Output;
        var plan = describe.Summarize ? inner.BindQuery(SummarizeQuery(describe, described)).Plan : DescribePlan(described, DescribedBaseTable(describe));
        return Aliased(plan, describe.Alias, describe.Alias?.Name.Value ?? UnnamedSubqueryName());
    }

    /// <summary>The catalog table a DESCRIBE [TABLE] name names; null for a query, a WITH query or a view (described like a query, as DuckDB does).</summary>
    private TableDef? DescribedBaseTable(DescribeTable describe)
    {
        if (!describe.OfTable || describe.Query.Body is not SelectBody { From: [NamedTable named] }) return null;
        var parts = named.Name.Parts.Select(p => p.Value).ToList();
        if (parts.Count == 1 && FindCte(parts[0]) is not null) return null;
        var path = _context.Resolve(parts, named.Position);
        if (_context.TemporaryViews?.ContainsKey(path.ToString()) == true || _context.Catalog.FindView(path) is not null) return null;
        return _context.Catalog.FindTable(path);
    }

    /// <summary>
    /// One row per column: name, type, null (YES / NO; always YES for a query, as in DuckDB, NO for a table's NOT NULL
    /// columns), key (PRI for a table's primary key columns), default and extra (empty).
    /// </summary>
    private static LogicalValues DescribePlan(IReadOnlyList<OutputColumn> described, TableDef? table)
    {
        var rows = new List<IReadOnlyList<BoundExpression>>(described.Count);
        var text = DataType.String.WithNullable(false);
        var none = BoundLiteral.Null(DataType.String);
        foreach (var column in described)
        {
            var type = column.Type.Kind == TypeKind.Null ? "NULL" : column.Type.WithNullable(true).ToSql();
            var key = table is not null && table.PrimaryKey.Contains(column.Name, StringComparer.OrdinalIgnoreCase) ? new BoundLiteral("PRI", DataType.String) : none;
            rows.Add([new BoundLiteral(column.Name, text), new BoundLiteral(type, text), new BoundLiteral(table is not null && !column.Type.Nullable ? "NO" : "YES", text), key, none, none]);
        }
        var columns = DescribeColumns.Select((name, i) => new OutputColumn(name, i < 3 ? text : DataType.String)).ToList();
        return new LogicalValues(rows, columns);
    }

    /// <summary>
    /// SUMMARIZE: one row per column of the described query with DuckDB's columns column_name, column_type, min, max,
    /// approx_unique, avg, std, q25, q50, q75, count and null_percentage — a UNION ALL of one aggregate query per column
    /// over the described query. min / max / approx_unique cover orderable types, avg / std numeric ones; the quartiles
    /// are NULL (there is no quantile aggregate yet).
    /// </summary>
    private static Query SummarizeQuery(DescribeTable describe, IReadOnlyList<OutputColumn> described)
    {
        var sql = new StringBuilder();
        foreach (var column in described)
        {
            if (sql.Length > 0) sql.Append(" UNION ALL ");
            var c = "`" + column.Name.Replace("`", "``", StringComparison.Ordinal) + "`";
            var type = column.Type.Kind == TypeKind.Null ? "NULL" : column.Type.WithNullable(true).ToSql();
            var orderable = column.Type.IsNumeric || column.Type.IsString || column.Type.IsTemporal;
            const string noText = "CAST(NULL AS STRING)";
            sql.Append(CultureInfo.InvariantCulture, $"SELECT {Quote(column.Name)} AS column_name, {Quote(type)} AS column_type, ");
            sql.Append(orderable ? $"CAST(min({c}) AS STRING)" : noText).Append(" AS `min`, ");
            sql.Append(orderable ? $"CAST(max({c}) AS STRING)" : noText).Append(" AS `max`, ");
            sql.Append(orderable ? $"approx_count_distinct({c})" : "CAST(NULL AS BIGINT)").Append(" AS approx_unique, ");
            sql.Append(column.Type.IsNumeric ? $"CAST(avg(CAST({c} AS DOUBLE)) AS STRING)" : noText).Append(" AS `avg`, ");
            sql.Append(column.Type.IsNumeric ? $"CAST(stddev_samp(CAST({c} AS DOUBLE)) AS STRING)" : noText).Append(" AS std, ");
            sql.Append(CultureInfo.InvariantCulture, $"{noText} AS q25, {noText} AS q50, {noText} AS q75, count(*) AS `count`, ");
            sql.Append(CultureInfo.InvariantCulture,
                $"CAST(CASE WHEN count(*) = 0 THEN NULL ELSE 100.0 * (count(*) - count({c})) / count(*) END AS DECIMAL(9, 2)) AS null_percentage FROM summarized");
        }
        var query = ((QueryStatement)SqlParser.ParseStatement(sql.ToString())).Query;
        return query with { Body = WithSummarizedInput(query.Body, describe.Query, describe.Position) };
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Replaces each branch's FROM summarized with the described query.</summary>
    private static QueryBody WithSummarizedInput(QueryBody body, Query described, SourcePosition position) => body switch
    {
        SelectBody select => select with { From = [new DerivedTable(described, false, null, position)] },
        SetOperationBody set => set with { Left = WithSummarizedInput(set.Left, described, position), Right = WithSummarizedInput(set.Right, described, position) },
        _ => body,
    };
}
