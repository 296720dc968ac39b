using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Binding;
using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Internal;

/// <summary>
/// UPDATE and DELETE on primary-key tables: the rows the WHERE clause selects (as of the statement's snapshot) are
/// appended as changes in one commit, -U old / +U new for UPDATE and -D for DELETE (storage-spec DB-050). Tables
/// without a primary key are rewritten instead (StatementRunner.CopyOnWrite.cs).
/// </summary>
internal static partial class StatementRunner
{
    private static (ObjectPath Path, TableDef Table) ResolveDmlTarget(TarnSession session, QualifiedName name, Statement statement, string verb)
    {
        var context = new BindContext(session.Core.Catalog, session.CurrentCatalog, session.CurrentDatabase, null, null, TimeZoneInfo.Utc);
        var path = context.Resolve(name.Parts.Select(p => p.Value).ToList(), name.Position);
        var table = session.Core.Catalog.FindTable(path)
            ?? throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {name.Position}", name.Position);
        if (!table.IsNative)
            throw new TarnException(SqlStates.FeatureNotSupported, $"{verb} on table '{path}' (connector '{table.Connector}') is not supported at {statement.Position}", statement.Position);
        return (path, table);
    }

    private static string QuotedPath(ObjectPath path) => $"{QuoteName(path.Catalog)}.{QuoteName(path.Database)}.{QuoteName(path.Name)}";

    private static string QuoteName(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>Binds <c>[WITH ...] SELECT physical columns [, extra] FROM target AS alias [WHERE condition]</c>.</summary>
    private static LogicalPlan BindTargetRows(TarnSession session, TarnParameters parameters, DmlText text, TableDef table, IEnumerable<string> extra)
    {
        var columns = table.Columns.Where(c => c.IsPhysical).Select(c => text.Alias + "." + QuoteName(c.Name)).Concat(extra);
        var sql = $"{text.With}SELECT {string.Join(", ", columns)} FROM {text.Target}" + (text.Condition is null ? "" : " WHERE " + text.Condition);
        return BindDmlQuery(session, parameters, sql);
    }

    private static LogicalPlan BindDmlQuery(TarnSession session, TarnParameters parameters, string sql)
    {
        var statements = SqlParser.ParseScript(sql);
        if (statements is not [QueryStatement query]) throw new TarnException(SqlStates.InternalError, "could not form the query of the DML statement");
        return NewBinder(session, parameters).BindQuery(query.Query).Plan;
    }

    private static async Task<TarnResult> RunDeleteAsync(TarnSession session, DeleteStatement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        RejectStreaming(session, statement);
        var (path, table) = ResolveDmlTarget(session, statement.Table, statement, "DELETE");
        var text = DmlText.For(path, statement.Alias, statement.With, statement.Using, statement.Where);
        if (table.PrimaryKey.Count == 0) return await CopyOnWriteDeleteAsync(session, parameters, table, text, cancellation).ConfigureAwait(false);
        CheckMergeEngineAllows(table, "DELETE", changesKey: false, statement.Position);
        var plan = BindTargetRows(session, parameters, text, table, []);
        var rows = await UpsertChangesAsync(session, table, plan, cancellation, (writer, batch) => writer.Add(batch, RowKind.Delete)).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Delete, $"{rows} row{(rows == 1 ? "" : "s")} deleted", rows);
    }

    private static async Task<TarnResult> RunUpdateAsync(TarnSession session, UpdateStatement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        RejectStreaming(session, statement);
        var (path, table) = ResolveDmlTarget(session, statement.Table, statement, "UPDATE");
        var physical = table.Columns.Where(c => c.IsPhysical).ToList();
        var assigned = new Dictionary<int, int>(); // physical column index -> assignment index
        var changesKey = false;
        for (var i = 0; i < statement.Assignments.Count; i++)
        {
            var a = statement.Assignments[i];
            var index = physical.FindIndex(c => string.Equals(c.Name, a.Column.Value, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                var what = table.FindColumn(a.Column.Value) is null ? "does not exist" : "is computed and cannot be updated";
                throw new TarnException(table.FindColumn(a.Column.Value) is null ? SqlStates.UndefinedColumn : SqlStates.InvalidParameterValue,
                    $"column '{a.Column.Value}' of '{path}' {what} at {a.Column.Position}", a.Column.Position);
            }
            if (!assigned.TryAdd(index, i))
                throw new TarnException(SqlStates.DuplicateColumn, $"column '{physical[index].Name}' is assigned more than once at {a.Column.Position}", a.Column.Position);
            if (table.PrimaryKey.Contains(physical[index].Name, StringComparer.OrdinalIgnoreCase)) changesKey = true;
        }
        var text = DmlText.For(path, statement.Alias, statement.With, statement.From, statement.Where);
        var values = statement.Assignments.Select(a => text.Value(a.Value, physical.First(c => string.Equals(c.Name, a.Column.Value, StringComparison.OrdinalIgnoreCase)))).ToList();
        if (table.PrimaryKey.Count == 0) return await CopyOnWriteUpdateAsync(session, parameters, statement, table, text, physical, assigned, values, cancellation).ConfigureAwait(false);
        CheckMergeEngineAllows(table, "UPDATE", changesKey, statement.Position);
        var source = BindTargetRows(session, parameters, text, table, values);

        // Output: the old row, then the new row (assigned columns cast to their column type as an INSERT would).
        var n = physical.Count;
        var exprs = new List<BoundExpression>(2 * n);
        var outputs = new List<OutputColumn>(2 * n);
        for (var c = 0; c < n; c++)
        {
            exprs.Add(BoundExpressions.Column(c, source.Output[c].Type));
            outputs.Add(new OutputColumn(physical[c].Name, physical[c].Type));
        }
        for (var c = 0; c < n; c++)
        {
            var e = assigned.TryGetValue(c, out var a)
                ? AssignedValue(BoundExpressions.Column(n + a, source.Output[n + a].Type), physical[c], statement.Assignments[a].Position)
                : BoundExpressions.Column(c, source.Output[c].Type);
            exprs.Add(e);
            outputs.Add(new OutputColumn(physical[c].Name, physical[c].Type));
        }
        var plan = new LogicalProject(source, exprs, outputs);
        if (changesKey)
        {
            var moved = await UpdateKeysAsync(session, path, table, plan, n, cancellation).ConfigureAwait(false);
            return TarnResult.Ok(StatementKind.Update, $"{moved} row{(moved == 1 ? "" : "s")} updated", moved);
        }
        // The writer looks up each key's current row itself (the -U it stores), so only the new rows are fed.
        var rows = await UpsertChangesAsync(session, table, plan, cancellation,
            (writer, batch) => writer.Add(new ColumnBatch(batch.Columns[n..], batch.RowCount), RowKind.UpdateAfter)).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Update, $"{rows} row{(rows == 1 ? "" : "s")} updated", rows);
    }

    /// <summary>An assigned value converted to its column's type as an INSERT would (assignment cast).</summary>
    private static BoundExpression AssignedValue(BoundExpression value, ColumnDef column, SourcePosition position)
    {
        var target = column.Type.WithNullable(true);
        if (value.Type.Kind == TypeKind.Null) return BoundLiteral.Null(target);
        if (!CastRules.CanCast(value.Type, target, CastMode.Assignment))
            throw new TarnException(SqlStates.DatatypeMismatch,
                $"cannot assign {value.Type.ToSql()} to column '{column.Name}' of type {column.Type.ToSql()} at {position}", position);
        return BoundExpressions.Cast(value, target, CastMode.Assignment);
    }

    /// <summary>
    /// A commit precondition: no row was appended to the table after <paramref name="read"/>, the version the statement
    /// read (or an older one). A write that raced the read fails the statement with 40001 instead of being lost.
    /// </summary>
    private static Func<Tarn.Storage.Engine.StorageState, string?> UnchangedSince(TableVersion read) => state =>
    {
        if (!state.Tables.TryGetValue(read.TableId, out var now)) return "the table was dropped concurrently";
        return now.NextOffsets.SequenceEqual(read.NextOffsets) ? null : "the table was written concurrently while the statement read it; retry the statement";
    };
}
