using System.Text;
using System.Text.RegularExpressions;
using Tarn.Catalog.Model;
using Tarn.Planner.Expressions;
using Tarn.Sql.Ast;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    /// <summary>A result of string columns (what SHOW and DESCRIBE print; Flink's column names).</summary>
    private static TarnResult Strings(StatementKind kind, string[] names, IEnumerable<string?[]> rows)
    {
        var vectors = names.Select(_ => new BinaryVector(DataType.String, 16)).ToArray();
        var count = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                if (row[i] is null) vectors[i].AppendNull();
                else vectors[i].Append(row[i]!);
            }
            count++;
        }
        return new TarnResult(kind, names.Select(n => new TarnColumn(n, DataType.String)).ToList(),
            count == 0 ? [] : [new ColumnBatch(vectors, count)]);
    }

    private static bool Matches(ShowFilter? filter, string value)
    {
        if (filter is null) return true;
        var regex = "^" + Regex.Escape(filter.Pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$";
        var match = Regex.IsMatch(value, regex, filter.CaseInsensitive ? RegexOptions.IgnoreCase : RegexOptions.None);
        return match != filter.Negated;
    }

    private static TarnResult Show(TarnSession session, Statement statement)
    {
        var catalog = session.Core.Catalog;
        switch (statement)
        {
            case ShowCatalogsStatement:
                return Strings(StatementKind.Show, ["catalog name"], catalog.Current.Catalogs.Select(c => c.Name).Order(StringComparer.Ordinal).Select(n => new[] { n }));
            case ShowCurrentCatalogStatement:
                return Strings(StatementKind.Show, ["current catalog name"], [[session.CurrentCatalog]]);
            case ShowCurrentDatabaseStatement:
                return Strings(StatementKind.Show, ["current database name"], [[session.CurrentDatabase]]);
            case ShowDatabasesStatement s:
            {
                var name = s.Catalog?.Value ?? session.CurrentCatalog;
                var c = catalog.Current.FindCatalog(name) ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{name}' does not exist");
                return Strings(StatementKind.Show, ["database name"], c.Databases.Select(d => d.Name).Where(n => Matches(s.Filter, n)).Order(StringComparer.Ordinal).Select(n => new[] { n }));
            }
            case ShowTablesStatement s:
            {
                var db = ShowDatabase(session, s.Database);
                // Flink lists views among tables too.
                var names = db.Tables.Select(t => t.Name).Concat(db.Views.Select(v => v.Name));
                return Strings(StatementKind.Show, ["table name"], names.Where(n => Matches(s.Filter, n)).Order(StringComparer.Ordinal).Select(n => new[] { n }));
            }
            case ShowViewsStatement s:
            {
                var db = ShowDatabase(session, s.Database);
                return Strings(StatementKind.Show, ["view name"], db.Views.Select(v => v.Name).Where(n => Matches(s.Filter, n)).Order(StringComparer.Ordinal).Select(n => new[] { n }));
            }
            case ShowFunctionsStatement s:
            {
                var user = UserFunctionNames(session);
                var names = FunctionRegistry.All.Select(f => f.Name).Concat(["COUNT", "SUM", "MIN", "MAX", "AVG"]).Concat(user).Distinct();
                return Strings(StatementKind.Show, ["function name"], (s.UserOnly ? user : names).Where(n => Matches(s.Filter, n)).Order(StringComparer.Ordinal).Select(n => new[] { n }));
            }
            case DescribeStatement d:
                return Describe(session, d.Name, null);
            case ShowColumnsStatement s:
                return Describe(session, s.Table, s.Filter);
            case ShowCreateStatement s:
            {
                var path = PathOf(session, s.Name);
                if (s.View)
                {
                    var v = catalog.FindView(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"view '{path}' does not exist at {s.Name.Position}", s.Name.Position);
                    return Strings(StatementKind.Show, ["result"], [[$"CREATE VIEW `{path.Catalog}`.`{path.Database}`.`{v.Name}` AS\n{v.Query}"]]);
                }
                var t = catalog.FindTable(path) ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {s.Name.Position}", s.Name.Position);
                return Strings(StatementKind.Show, ["result"], [[ShowCreateTable(path.ToString(), t)]]);
            }
            default:
                throw NotYet(statement, statement.GetType().Name);
        }
    }

    private static DatabaseDef ShowDatabase(TarnSession session, QualifiedName? name)
    {
        if (name is null) return session.Core.Catalog.GetDatabase(session.CurrentCatalog, session.CurrentDatabase);
        var parts = name.Parts;
        return session.Core.Catalog.GetDatabase(parts.Count > 1 ? parts[0].Value : session.CurrentCatalog, parts[^1].Value);
    }

    /// <summary>DESCRIBE: Flink's columns name, type, null, key, extras, watermark.</summary>
    private static TarnResult Describe(TarnSession session, QualifiedName name, ShowFilter? filter)
    {
        var path = PathOf(session, name);
        var catalog = session.Core.Catalog;
        string[] header = ["name", "type", "null", "key", "extras", "watermark"];
        if (catalog.FindTable(path) is { } table)
        {
            var pk = table.PrimaryKey.Count == 0 ? null : $"PRI({string.Join(", ", table.PrimaryKey)})";
            return Strings(StatementKind.Show, header, table.Columns.Where(c => Matches(filter, c.Name)).Select(c => new[]
            {
                c.Name,
                c.Type.Kind == TypeKind.Null ? "NULL" : c.Type.WithNullable(true).ToSql(),
                c.Type.Nullable ? "TRUE" : "FALSE",
                table.PrimaryKey.Contains(c.Name, StringComparer.OrdinalIgnoreCase) ? pk : null,
                c.ComputedExpression is not null ? $"AS {c.ComputedExpression}" : c.IsMetadata ? $"METADATA{(c.MetadataKey is null ? "" : $" FROM '{c.MetadataKey}'")}{(c.IsVirtual ? " VIRTUAL" : "")}" : null,
                table.Watermark is { } w && string.Equals(w.Column, c.Name, StringComparison.OrdinalIgnoreCase) ? w.Expression : null,
            }));
        }
        if (catalog.FindView(path) is not null)
        {
            var bound = NewBinder(session, TarnParameters.None).BindQuery(
                ((QueryStatement)Sql.SqlParser.ParseStatement($"SELECT * FROM `{path.Catalog}`.`{path.Database}`.`{path.Name}`")).Query);
            return Strings(StatementKind.Show, header, bound.Columns.Where(c => Matches(filter, c.Name)).Select(c => new[]
            {
                c.Name, c.Type.WithNullable(true).ToSql(), c.Type.Nullable ? "TRUE" : "FALSE", null, null, null,
            }));
        }
        throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {name.Position}", name.Position);
    }

    private static string ShowCreateTable(string path, TableDef t)
    {
        var sb = new StringBuilder();
        sb.Append("CREATE TABLE ").Append(path).Append(" (\n");
        var lines = new List<string>();
        foreach (var c in t.Columns)
        {
            var line = $"  `{c.Name}` ";
            if (c.ComputedExpression is not null) line += $"AS {c.ComputedExpression}";
            else
            {
                line += c.Type.ToSql();
                if (c.IsMetadata) line += $" METADATA{(c.MetadataKey is null ? "" : $" FROM '{c.MetadataKey}'")}{(c.IsVirtual ? " VIRTUAL" : "")}";
                if (c.DefaultExpression is not null) line += $" DEFAULT {c.DefaultExpression}";
            }
            if (c.Comment is not null) line += $" COMMENT '{c.Comment.Replace("'", "''", StringComparison.Ordinal)}'";
            lines.Add(line);
        }
        if (t.Watermark is { } w) lines.Add($"  WATERMARK FOR `{w.Column}` AS {w.Expression}");
        if (t.PrimaryKey.Count > 0) lines.Add($"  PRIMARY KEY ({string.Join(", ", t.PrimaryKey.Select(k => $"`{k}`"))}) NOT ENFORCED");
        sb.Append(string.Join(",\n", lines)).Append("\n)");
        if (t.Comment is not null) sb.Append($"\nCOMMENT '{t.Comment.Replace("'", "''", StringComparison.Ordinal)}'");
        if (t.PartitionKeys.Count > 0) sb.Append($"\nPARTITIONED BY ({string.Join(", ", t.PartitionKeys.Select(k => $"`{k}`"))})");
        if (t.Options.Count > 0)
            sb.Append("\nWITH (\n").Append(string.Join(",\n", t.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"  '{o.Key}' = '{o.Value.Replace("'", "''", StringComparison.Ordinal)}'"))).Append("\n)");
        return sb.ToString();
    }
}
