using Tarn.Sql.Ast;

namespace Tarn.Sql.Formatting;

public static partial class SqlFormatter
{
    private sealed partial class Writer
    {
        private void Statement(Statement statement)
        {
            switch (statement)
            {
                case QueryStatement q:
                    Query(q.Query);
                    break;
                case CreateCatalogStatement c:
                    Text("CREATE CATALOG ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
                    CommentAndOptions(c.Comment, c.Options);
                    break;
                case UseCatalogStatement u:
                    Text("USE CATALOG ").Name(u.Name);
                    break;
                case DropCatalogStatement d:
                    Text("DROP CATALOG ").Text(d.IfExists ? "IF EXISTS " : "").Name(d.Name);
                    break;
                case CreateDatabaseStatement c:
                    Text("CREATE DATABASE ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
                    CommentAndOptions(c.Comment, c.Options);
                    break;
                case UseDatabaseStatement u:
                    Text("USE ").Name(u.Name);
                    break;
                case DropDatabaseStatement d:
                    Text("DROP DATABASE ").Text(d.IfExists ? "IF EXISTS " : "").Name(d.Name);
                    if (d.Cascade)
                        Text(" CASCADE");
                    break;
                case CreateTableStatement c:
                    CreateTable(c);
                    break;
                case CreateTableAsStatement c:
                    Text(c.OrReplace ? "CREATE OR REPLACE " : "CREATE ").Text(c.Temporary ? "TEMPORARY TABLE " : "TABLE ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
                    TableClauses(c.Comment, c.PartitionedBy, c.Options, null);
                    Text(" AS ");
                    Query(c.Query);
                    break;
                case CreateViewStatement c:
                    Text(c.OrReplace ? "CREATE OR REPLACE " : "CREATE ").Text(c.Temporary ? "TEMPORARY VIEW " : "VIEW ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
                    if (!c.Columns.IsEmpty)
                    {
                        Text(' ');
                        Parenthesized(c.Columns, Name);
                    }
                    if (c.Comment is not null)
                        Text(" COMMENT ").Text(StringLiteral(c.Comment));
                    Text(" AS ");
                    Query(c.Query);
                    break;
                case DropTableStatement d:
                    Text(d.Temporary ? "DROP TEMPORARY TABLE " : "DROP TABLE ").Text(d.IfExists ? "IF EXISTS " : "").Name(d.Name);
                    break;
                case CreateIndexStatement c:
                    Text(c.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
                    Text(" ON ").Name(c.Table);
                    Text(' ');
                    Parenthesized(c.Columns, Name);
                    break;
                case DropIndexStatement d:
                    Text("DROP INDEX ").Text(d.IfExists ? "IF EXISTS " : "").Name(d.Name);
                    break;
                case DropViewStatement d:
                    Text(d.Temporary ? "DROP TEMPORARY VIEW " : "DROP VIEW ").Text(d.IfExists ? "IF EXISTS " : "").Name(d.Name);
                    break;
                case AlterTableStatement a:
                    AlterTable(a);
                    break;
                case ShowCatalogsStatement:
                    Text("SHOW CATALOGS");
                    break;
                case ShowCurrentCatalogStatement:
                    Text("SHOW CURRENT CATALOG");
                    break;
                case ShowDatabasesStatement s:
                    Text("SHOW DATABASES");
                    if (s.Catalog is not null)
                        Text(" FROM ").Name(s.Catalog);
                    Filter(s.Filter);
                    break;
                case ShowCurrentDatabaseStatement:
                    Text("SHOW CURRENT DATABASE");
                    break;
                case ShowTablesStatement s:
                    Text("SHOW TABLES");
                    if (s.Database is not null)
                        Text(" FROM ").Name(s.Database);
                    Filter(s.Filter);
                    break;
                case ShowViewsStatement s:
                    Text("SHOW VIEWS");
                    if (s.Database is not null)
                        Text(" FROM ").Name(s.Database);
                    Filter(s.Filter);
                    break;
                case ShowFunctionsStatement s:
                    Text(s.UserOnly ? "SHOW USER FUNCTIONS" : "SHOW FUNCTIONS");
                    Filter(s.Filter);
                    break;
                case ShowColumnsStatement s:
                    Text("SHOW COLUMNS FROM ").Name(s.Table);
                    Filter(s.Filter);
                    break;
                case ShowJobsStatement:
                    Text("SHOW JOBS");
                    break;
                case ShowCreateStatement s:
                    Text(s.View ? "SHOW CREATE VIEW " : "SHOW CREATE TABLE ").Name(s.Name);
                    break;
                case DescribeStatement d:
                    Text("DESCRIBE ").Name(d.Name);
                    break;
                case ExplainStatement e:
                    Text("EXPLAIN ");
                    if (!e.Details.IsEmpty)
                    {
                        List(e.Details, d => Text(ExplainDetailName(d)));
                        Text(' ');
                    }
                    Statement(e.Statement);
                    break;
                case InsertStatement i:
                    Insert(i);
                    break;
                case UpdateStatement u:
                    DmlWith(u.With);
                    Text("UPDATE ").Name(u.Table);
                    if (u.Alias is not null)
                        Text(" AS ").Name(u.Alias);
                    Text(" SET ");
                    List(u.Assignments, a => Part(a));
                    if (u.From is not null)
                    {
                        Text(" FROM ");
                        List(u.From, Table);
                    }
                    if (u.Where is not null)
                        Text(" WHERE ").Expression(u.Where, 0);
                    break;
                case DeleteStatement d:
                    DmlWith(d.With);
                    Text("DELETE FROM ").Name(d.Table);
                    if (d.Alias is not null)
                        Text(" AS ").Name(d.Alias);
                    if (d.Using is not null)
                    {
                        Text(" USING ");
                        List(d.Using, Table);
                    }
                    if (d.Where is not null)
                        Text(" WHERE ").Expression(d.Where, 0);
                    break;
                case TransactionStatement t:
                    Text(t.Action switch { TransactionAction.Begin => "BEGIN", TransactionAction.Commit => "COMMIT", _ => "ROLLBACK" });
                    break;
                case TruncateStatement t:
                    Text("TRUNCATE TABLE ").Name(t.Table);
                    break;
                case StatementSetStatement s:
                    Text("EXECUTE STATEMENT SET BEGIN ");
                    foreach (var insert in s.Inserts)
                    {
                        Insert(insert);
                        Text("; ");
                    }
                    Text("END");
                    break;
                case SetStatement s:
                    Text("SET");
                    if (s.Key is not null)
                        Text(' ').Text(StringLiteral(s.Key)).Text(" = ").Text(StringLiteral(s.Value ?? ""));
                    break;
                case ResetStatement r:
                    Text("RESET");
                    if (r.Key is not null)
                        Text(' ').Text(StringLiteral(r.Key));
                    break;
                case StopJobStatement s:
                    Text("STOP JOB ").Text(StringLiteral(s.JobId));
                    if (s.WithSavepoint)
                        Text(" WITH SAVEPOINT");
                    if (s.WithDrain)
                        Text(" WITH DRAIN");
                    break;
                default:
                    if (!FunctionOrSequenceStatement(statement))
                        throw new ArgumentException($"cannot format {statement.GetType().Name}", nameof(statement));
                    break;
            }
        }

        private static string ExplainDetailName(ExplainDetail detail) => detail switch
        {
            ExplainDetail.EstimatedCost => "ESTIMATED_COST",
            ExplainDetail.ChangelogMode => "CHANGELOG_MODE",
            ExplainDetail.PlanAdvice => "PLAN_ADVICE",
            _ => "JSON_EXECUTION_PLAN",
        };

        private void CommentAndOptions(string? comment, NodeList<Property> options)
        {
            if (comment is not null)
                Text(" COMMENT ").Text(StringLiteral(comment));
            if (!options.IsEmpty)
            {
                Text(" WITH ");
                Properties(options);
            }
        }

        private void Filter(ShowFilter? filter)
        {
            if (filter is null)
                return;
            Text(filter.Negated ? " NOT " : " ").Text(filter.CaseInsensitive ? "ILIKE " : "LIKE ").Text(StringLiteral(filter.Pattern));
        }

        private void CreateTable(CreateTableStatement c)
        {
            Text(c.OrReplace ? "CREATE OR REPLACE " : "CREATE ").Text(c.Temporary ? "TEMPORARY TABLE " : "TABLE ").Text(c.IfNotExists ? "IF NOT EXISTS " : "").Name(c.Name);
            if (!c.Elements.IsEmpty)
            {
                Text(" (\n  ");
                List(c.Elements, Element, ",\n  ");
                Text("\n)");
            }
            TableClauses(c.Comment, c.PartitionedBy, c.Options, c.Like);
        }

        private void TableClauses(string? comment, NodeList<Identifier> partitionedBy, NodeList<Property> options, TableLike? like)
        {
            if (comment is not null)
                Text(" COMMENT ").Text(StringLiteral(comment));
            if (!partitionedBy.IsEmpty)
            {
                Text(" PARTITIONED BY ");
                Parenthesized(partitionedBy, Name);
            }
            if (!options.IsEmpty)
            {
                Text(" WITH ");
                Properties(options);
            }
            if (like is not null)
            {
                Text(' ');
                Like(like);
            }
        }

        private void Like(TableLike like)
        {
            Text("LIKE ").Name(like.Source);
            if (!like.Options.IsEmpty)
            {
                Text(" (");
                List(like.Options, LikeOption, " ");
                Text(')');
            }
        }

        private void LikeOption(LikeOption option) =>
            Text(option.Strategy.ToString().ToUpperInvariant()).Text(' ').Text(option.Feature.ToString().ToUpperInvariant());

        private void Element(TableElement element)
        {
            switch (element)
            {
                case PhysicalColumn p:
                    Name(p.Name);
                    Text(' ').Text(p.Type.ToSql());
                    if (p.Default is not null)
                        Text(" DEFAULT ").Expression(p.Default, 0);
                    if (p.PrimaryKey)
                        Text(" PRIMARY KEY NOT ENFORCED");
                    if (p.Unique)
                        Text(" UNIQUE");
                    Comment(p.Comment);
                    break;
                case ComputedColumn c:
                    Name(c.Name);
                    Text(" AS ").Expression(c.Expression, 0);
                    Comment(c.Comment);
                    break;
                case MetadataColumn m:
                    Name(m.Name);
                    Text(' ').Text(m.Type.ToSql()).Text(" METADATA");
                    if (m.Key is not null)
                        Text(" FROM ").Text(StringLiteral(m.Key));
                    if (m.Virtual)
                        Text(" VIRTUAL");
                    Comment(m.Comment);
                    break;
                case WatermarkDefinition w:
                    Text("WATERMARK FOR ").Name(w.Column);
                    Text(" AS ").Expression(w.Strategy, 0);
                    break;
                case UniqueConstraint u:
                    Text("UNIQUE ");
                    Parenthesized(u.Columns, Name);
                    break;
                case PrimaryKeyConstraint k:
                    if (k.Name is not null)
                    {
                        Text("CONSTRAINT ").Name(k.Name);
                        Text(' ');
                    }
                    Text("PRIMARY KEY ");
                    Parenthesized(k.Columns, Name);
                    if (k.NotEnforced)
                        Text(" NOT ENFORCED");
                    break;
            }
        }

        private void Comment(string? comment)
        {
            if (comment is not null)
                Text(" COMMENT ").Text(StringLiteral(comment));
        }

        private void AlterTable(AlterTableStatement a)
        {
            Text("ALTER TABLE ").Text(a.IfExists ? "IF EXISTS " : "").Name(a.Name);
            switch (a)
            {
                case AlterTableAddStatement add:
                    Text(" ADD ");
                    Parenthesized(add.Elements, Element);
                    break;
                case AlterTableRenameStatement rename:
                    Text(" RENAME TO ").Name(rename.NewName);
                    break;
                case AlterTableRenameColumnStatement rename:
                    Text(" RENAME ").Name(rename.Column);
                    Text(" TO ").Name(rename.NewName);
                    break;
                case AlterTableSetStatement set:
                    Text(" SET ");
                    Properties(set.Options);
                    break;
                case AlterTableResetStatement reset:
                    Text(" RESET ");
                    Parenthesized(reset.Keys, k => Text(StringLiteral(k)));
                    break;
                case AlterTableDropColumnsStatement drop:
                    Text(" DROP ");
                    Parenthesized(drop.Columns, Name);
                    break;
            }
        }

        private void Insert(InsertStatement insert)
        {
            Text(insert.Overwrite ? "INSERT OVERWRITE " : "INSERT INTO ").Name(insert.Table);
            if (!insert.Hints.IsEmpty)
            {
                Text(' ');
                Hints(insert.Hints);
            }
            if (!insert.Partition.IsEmpty)
            {
                Text(" PARTITION ");
                Parenthesized(insert.Partition, p => Part(p));
            }
            if (!insert.Columns.IsEmpty)
            {
                Text(' ');
                Parenthesized(insert.Columns, Name);
            }
            Text(' ');
            if (insert.DefaultValues)
                Text("DEFAULT VALUES");
            else
                Query(insert.Source);
        }
    }
}
