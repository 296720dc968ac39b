using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Binding;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    /// <summary>
    /// The SQL text pieces UPDATE and DELETE bind their row queries from. With FROM / USING tables (PostgreSQL) the
    /// target row is touched when some combination of those tables' rows meets the condition: the condition becomes
    /// an EXISTS over them, and each assigned value a scalar subquery taking it from one matching combination.
    /// </summary>
    private sealed record DmlText(string With, string Target, string Alias, string? Condition, string? Sources, string SourceWhere)
    {
        public static DmlText For(ObjectPath path, Identifier? alias, NodeList<CommonTableExpression>? with, NodeList<TableReference>? sources, Expression? where)
        {
            var aliasText = QuoteName(alias?.Value ?? path.Name);
            var withText = with is null || with.IsEmpty ? "" : "WITH " + string.Join(", ", with.Select(SqlFormatter.Format)) + " ";
            var target = $"{QuotedPath(path)} AS {aliasText}";
            if (sources is null || sources.IsEmpty)
                return new DmlText(withText, target, aliasText, where is null ? null : "(" + SqlFormatter.Format(where) + ")", null, "");
            var list = string.Join(", ", sources.Select(SqlFormatter.Format));
            var sourceWhere = where is null ? "" : " WHERE " + SqlFormatter.Format(where);
            return new DmlText(withText, target, aliasText, $"EXISTS (SELECT 1 FROM {list}{sourceWhere})", list, sourceWhere);
        }

        /// <summary>The SQL of an assigned value; DEFAULT is the column's default (NULL when it has none).</summary>
        public string Value(Expression value, ColumnDef column)
        {
            if (Binder.IsDefaultKeyword(value))
                return "(" + (column.DefaultExpression ?? "NULL") + ")";
            var text = SqlFormatter.Format(value);
            return Sources is null ? "(" + text + ")" : $"(SELECT {text} FROM {Sources}{SourceWhere} LIMIT 1)";
        }
    }

    /// <summary>The SQL text of a column's declared DEFAULT, or null.</summary>
    private static string? ColumnDefaultText(PhysicalColumn column) => column.Default is null ? null : SqlFormatter.Format(column.Default);
}
