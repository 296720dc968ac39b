using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;
using Tarn.Types;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    private static ObjectPath PathOf(TarnSession session, QualifiedName name)
    {
        var parts = name.Parts;
        return parts.Count switch
        {
            1 => new ObjectPath(session.CurrentCatalog, session.CurrentDatabase, parts[0].Value),
            2 => new ObjectPath(session.CurrentCatalog, parts[0].Value, parts[1].Value),
            3 => new ObjectPath(parts[0].Value, parts[1].Value, parts[2].Value),
            _ => throw new TarnException(SqlStates.SyntaxError, $"invalid name '{string.Join('.', parts.Select(p => p.Value))}' at {name.Position}", name.Position),
        };
    }

    private static Dictionary<string, string> Options(NodeList<Property> properties)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in properties)
            if (!d.TryAdd(p.Key, p.Value))
                throw new TarnException(SqlStates.DuplicateObject, $"option '{p.Key}' is given twice at {p.Position}", p.Position);
        return d;
    }

    private static void RejectTemporary(bool temporary, SourcePosition position)
    {
        if (temporary) throw new TarnException(SqlStates.FeatureNotSupported, $"TEMPORARY objects are not supported yet at {position}", position);
    }

    /// <summary>
    /// CREATE OR REPLACE: drops the table or view at <paramref name="path"/> if there is one. Not atomic with the
    /// CREATE that follows: a CREATE that then fails leaves the name free.
    /// </summary>
    private static async Task ReplaceAsync(TarnSession session, Catalog.ObjectPath path)
    {
        var catalog = session.Core.Catalog;
        if (catalog.FindView(path) is not null) await catalog.DropViewAsync(path, ifExists: true).ConfigureAwait(false);
        else if (catalog.FindTable(path) is not null) await catalog.DropTableAsync(path, ifExists: true).ConfigureAwait(false);
    }

    private static async Task<TarnResult> CreateTableAsync(TarnSession session, CreateTableStatement create)
    {
        RejectTemporary(create.Temporary, create.Position);
        var path = PathOf(session, create.Name);
        if (create.OrReplace) await ReplaceAsync(session, path).ConfigureAwait(false);
        var columns = new List<ColumnDef>();
        var primaryKey = new List<string>();
        var partitionKeys = create.PartitionedBy.Select(p => p.Value).ToList();
        WatermarkDef? watermark = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);

        if (create.Like is { } like)
        {
            var sourcePath = PathOf(session, like.Source);
            var source = session.Core.Catalog.FindTable(sourcePath)
                ?? throw new TarnException(SqlStates.UndefinedTable, $"LIKE source table '{sourcePath}' does not exist at {like.Source.Position}", like.Source.Position);
            bool Includes(LikeFeature feature, bool byDefault)
            {
                var result = byDefault;
                foreach (var o in like.Options)
                    if (o.Feature == feature || o.Feature == LikeFeature.All) result = o.Strategy != LikeMergeStrategy.Excluding;
                return result;
            }
            foreach (var c in source.Columns)
            {
                if (!c.IsPhysical && c.ComputedExpression is not null && !Includes(LikeFeature.Generated, true)) continue;
                if (c.IsMetadata && !Includes(LikeFeature.Metadata, true)) continue;
                columns.Add(c with { Id = columns.Count });
            }
            if (Includes(LikeFeature.Constraints, true)) primaryKey.AddRange(source.PrimaryKey);
            if (Includes(LikeFeature.Watermarks, true)) watermark = source.Watermark;
            if (partitionKeys.Count == 0 && Includes(LikeFeature.Partitions, true)) partitionKeys.AddRange(source.PartitionKeys);
            if (Includes(LikeFeature.Options, true)) foreach (var (k, v) in source.Options) options[k] = v;
        }

        var uniqueColumns = new List<string>();
        foreach (var element in create.Elements)
        {
            switch (element)
            {
                case PhysicalColumn p:
                    AddColumn(columns, new ColumnDef(columns.Count, p.Name.Value, Planner.Expressions.Collations.Normalize(p.Type, p.Position), p.Comment, DefaultExpression: ColumnDefaultText(p)), p.Position);
                    if (p.PrimaryKey) SetPrimaryKey(primaryKey, [p.Name.Value], p.Position);
                    break;
                case ComputedColumn c:
                    AddColumn(columns, new ColumnDef(columns.Count, c.Name.Value, DataType.Null, c.Comment, ComputedExpression: SqlFormatter.Format(c.Expression)), c.Position);
                    break;
                case MetadataColumn m:
                    AddColumn(columns, new ColumnDef(columns.Count, m.Name.Value, m.Type, m.Comment, MetadataKey: m.Key, IsMetadata: true, IsVirtual: m.Virtual), m.Position);
                    break;
                case WatermarkDefinition w:
                    if (watermark is not null && create.Like is null) throw new TarnException(SqlStates.SyntaxError, $"only one WATERMARK is allowed at {w.Position}", w.Position);
                    watermark = new WatermarkDef(w.Column.Value, SqlFormatter.Format(w.Strategy));
                    break;
                case PrimaryKeyConstraint pk:
                    SetPrimaryKey(primaryKey, pk.Columns.Select(c => c.Value).ToList(), pk.Position);
                    break;
                case UniqueConstraint u:
                    // Accepted and, like Flink's keys, not enforced: the columns must exist (checked below).
                    uniqueColumns.AddRange(u.Columns.Select(c => c.Value));
                    break;
            }
        }
        foreach (var (k, v) in Options(create.Options)) options[k] = v;
        if (columns.Count == 0) throw new TarnException(SqlStates.SyntaxError, $"a table needs at least one column at {create.Position}", create.Position);

        // Primary-key columns are NOT NULL (Flink's rule); partition and key columns must be stored columns.
        for (var i = 0; i < columns.Count; i++)
        {
            if (primaryKey.Contains(columns[i].Name, StringComparer.OrdinalIgnoreCase)) columns[i] = columns[i] with { Type = columns[i].Type.WithNullable(false) };
        }
        foreach (var k in primaryKey.Concat(partitionKeys).Concat(uniqueColumns))
        {
            var col = columns.FirstOrDefault(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase))
                ?? throw new TarnException(SqlStates.UndefinedColumn, $"column '{k}' used in PRIMARY KEY or PARTITIONED BY does not exist at {create.Position}", create.Position);
            if (!col.IsPhysical) throw new TarnException(SqlStates.InvalidParameterValue, $"column '{k}' is computed; keys and partitions need stored columns at {create.Position}", create.Position);
            if (col.Type.IsArray && !partitionKeys.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw new TarnException(SqlStates.FeatureNotSupported, $"column '{k}' is an ARRAY; key columns cannot be arrays at {create.Position}", create.Position);
        }
        // All versions of a key must share a partition, or pruning by partition could hide a newer version (Flink/Paimon's rule).
        if (primaryKey.Count > 0)
            foreach (var p in partitionKeys)
                if (!primaryKey.Contains(p, StringComparer.OrdinalIgnoreCase))
                    throw new TarnException(SqlStates.InvalidParameterValue,
                        $"the primary key must include partition column '{p}' (PRIMARY KEY ({string.Join(", ", primaryKey)}) NOT ENFORCED) at {create.Position}", create.Position);
        if (watermark is not null && !columns.Any(c => string.Equals(c.Name, watermark.Column, StringComparison.OrdinalIgnoreCase)))
            throw new TarnException(SqlStates.UndefinedColumn, $"watermark column '{watermark.Column}' does not exist at {create.Position}", create.Position);

        var def = new TableDef(path.Name, 0, columns, primaryKey, partitionKeys, watermark, options, create.Comment);
        try
        {
            Connectors.ConnectorRegistry.Validate(def.Connector);
            Connectors.ConnectorRegistry.ValidateTable(def);
        }
        catch (TarnException e)
        {
            throw new TarnException(e.SqlState, $"{e.Message} at {create.Position}", create.Position);
        }
        ValidateMergeOptions(def, create.Options, create.Position);
        def = ResolveComputedTypes(session, path, def);
        var existed = session.Core.Catalog.FindTable(path) is not null;
        await session.Core.Catalog.CreateTableAsync(path, def, create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, existed ? $"Table {path} already exists" : $"Table {path} created");
    }

    private static void AddColumn(List<ColumnDef> columns, ColumnDef column, SourcePosition position)
    {
        if (columns.Any(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase)))
            throw new TarnException(SqlStates.DuplicateColumn, $"column '{column.Name}' is defined twice at {position}", position);
        columns.Add(column);
    }

    private static void SetPrimaryKey(List<string> primaryKey, List<string> columns, SourcePosition position)
    {
        if (primaryKey.Count > 0) throw new TarnException(SqlStates.SyntaxError, $"a table can have only one PRIMARY KEY at {position}", position);
        primaryKey.AddRange(columns);
    }

    /// <summary>Computed columns get the type of their expression, bound against the stored columns.</summary>
    private static TableDef ResolveComputedTypes(TarnSession session, ObjectPath path, TableDef def)
    {
        if (def.Columns.All(c => c.ComputedExpression is null)) return def;
        var physical = ColumnLeaves.Physical(def); // ROW columns as their fields, so `person.dateTime` binds
        var scope = new Planner.Binding.Scope(physical.Select(c => new Planner.Binding.ScopeColumn(path.Name, c.Name, c.Type)).ToList());
        var binder = NewBinder(session, TarnParameters.None);
        var columns = def.Columns.Select(c =>
        {
            if (c.ComputedExpression is null) return c;
            var bound = binder.BindExpression(Sql.SqlParser.ParseExpression(c.ComputedExpression), scope);
            return c with { Type = bound.Type };
        }).ToList();
        return def with { Columns = columns };
    }

    private static async Task<TarnResult> CreateTableAsAsync(TarnSession session, CreateTableAsStatement create, TarnParameters parameters, CancellationToken cancellation)
    {
        RejectTemporary(create.Temporary, create.Position);
        RejectStreaming(session, create);
        var path = PathOf(session, create.Name);
        var bound = NewBinder(session, parameters).BindQuery(create.Query);
        var catalog = session.Core.Catalog;
        // OR REPLACE over an existing object fills a table under a private name first and swaps it in only when the
        // query succeeded: a failing query leaves the old table, and one that reads the old table still can.
        var replacing = create.OrReplace && (catalog.FindTable(path) is not null || catalog.FindView(path) is not null);
        var target = replacing ? path with { Name = $"{path.Name}$replacing${Guid.NewGuid():N}" } : path;
        if (!replacing && catalog.FindTable(path) is not null)
        {
            if (create.IfNotExists) return TarnResult.Ok(StatementKind.Ddl, $"Table {path} already exists");
            throw new TarnException(SqlStates.DuplicateTable, $"table '{path}' already exists at {create.Name.Position}", create.Name.Position);
        }
        var columns = bound.Columns.Select((c, i) => new ColumnDef(i, c.Name, c.Type.Kind == TypeKind.Null ? DataType.String : c.Type)).ToList();
        var def = new TableDef(target.Name, 0, columns, [], create.PartitionedBy.Select(p => p.Value).ToList(), null, Options(create.Options), create.Comment);
        if (!def.StoresNatively)
            throw new TarnException(SqlStates.FeatureNotSupported, $"CREATE TABLE AS into connector '{def.Connector}' is not supported yet at {create.Position}", create.Position);
        var created = await catalog.CreateTableAsync(target, def, ifNotExists: false).ConfigureAwait(false);
        long rows;
        try
        {
            var source = new Planner.Logical.LogicalProject(bound.Plan,
                bound.Columns.Select((c, i) => Planner.Expressions.FunctionRegistry.Coerce(Planner.Expressions.BoundExpressions.Column(i, c.Type), columns[i].Type)).ToList(),
                columns.Select(c => new Planner.Logical.OutputColumn(c.Name, c.Type)).ToList());
            rows = await InsertAsync(session, created.TableId, source, cancellation).ConfigureAwait(false);
        }
        catch
        {
            // CREATE TABLE AS is all or nothing: drop the table the failed query was filling.
            await catalog.DropTableAsync(target, ifExists: true).ConfigureAwait(false);
            throw;
        }
        if (replacing)
        {
            await ReplaceAsync(session, path).ConfigureAwait(false);
            await catalog.RenameTableAsync(target, path.Name).ConfigureAwait(false);
        }
        return TarnResult.Ok(StatementKind.Ddl, $"Table {path} created with {rows} row{(rows == 1 ? "" : "s")}", rows);
    }

    private static async Task<TarnResult> CreateViewAsync(TarnSession session, CreateViewStatement create)
    {
        var path = PathOf(session, create.Name);
        // Bind once now so a broken view is rejected at CREATE, not at first use.
        var bound = NewBinder(session, TarnParameters.None).BindQuery(create.Query);
        if (!create.Columns.IsEmpty && create.Columns.Count != bound.Columns.Count)
            throw new TarnException(SqlStates.SyntaxError, $"view '{path}' names {create.Columns.Count} columns but its query has {bound.Columns.Count} at {create.Position}", create.Position);
        var view = new ViewDef(path.Name, SqlFormatter.Format(create.Query), create.Columns.IsEmpty ? null : create.Columns.Select(c => c.Value).ToList(), create.Comment);
        if (create.Temporary)
        {
            var key = TarnSession.TemporaryViewKey(path);
            if (session.TemporaryViews.ContainsKey(key) && !create.OrReplace)
            {
                if (create.IfNotExists) return TarnResult.Ok(StatementKind.Ddl, $"Temporary view {path} already exists");
                throw new TarnException(SqlStates.DuplicateTable, $"temporary view '{path}' already exists at {create.Name.Position}", create.Name.Position);
            }
            session.TemporaryViews[key] = view;
            session.TemporaryViewsVersion++;
            return TarnResult.Ok(StatementKind.Ddl, $"Temporary view {path} created");
        }
        if (create.OrReplace && session.Core.Catalog.FindView(path) is not null)
            await session.Core.Catalog.DropViewAsync(path, ifExists: true).ConfigureAwait(false);
        await session.Core.Catalog.CreateViewAsync(path, view, create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"View {path} created");
    }

    private static async Task<TarnResult> DropTableAsync(TarnSession session, DropTableStatement drop)
    {
        RejectTemporary(drop.Temporary, drop.Position);
        var path = PathOf(session, drop.Name);
        if (session.Core.Catalog.FindView(path) is not null)
            throw new TarnException(SqlStates.InvalidParameterValue, $"'{path}' is a view; use DROP VIEW at {drop.Name.Position}", drop.Name.Position);
        await session.Core.Catalog.DropTableAsync(path, drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Table {path} dropped");
    }

    private static async Task<TarnResult> DropViewAsync(TarnSession session, DropViewStatement drop)
    {
        var path = PathOf(session, drop.Name);
        // A temporary view shadows a permanent one, so plain DROP VIEW drops it first (DuckDB, PostgreSQL); DROP
        // TEMPORARY VIEW never touches the catalog (Flink).
        if (session.TemporaryViews.Remove(TarnSession.TemporaryViewKey(path)))
        {
            session.TemporaryViewsVersion++;
            return TarnResult.Ok(StatementKind.Ddl, $"Temporary view {path} dropped");
        }
        if (drop.Temporary)
        {
            if (drop.IfExists) return TarnResult.Ok(StatementKind.Ddl, $"Temporary view {path} does not exist");
            throw new TarnException(SqlStates.UndefinedTable, $"temporary view '{path}' does not exist at {drop.Name.Position}", drop.Name.Position);
        }
        await session.Core.Catalog.DropViewAsync(path, drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"View {path} dropped");
    }

    private static async Task<TarnResult> AlterTableAsync(TarnSession session, AlterTableStatement alter)
    {
        var path = PathOf(session, alter.Name);
        var catalog = session.Core.Catalog;
        if (catalog.FindTable(path) is null)
        {
            if (alter.IfExists) return TarnResult.Ok(StatementKind.Ddl, $"Table {path} does not exist");
            throw new TarnException(SqlStates.UndefinedTable, $"table '{path}' does not exist at {alter.Name.Position}", alter.Name.Position);
        }
        switch (alter)
        {
            case AlterTableAddStatement add:
            {
                var columns = new List<ColumnDef>();
                foreach (var e in add.Elements)
                {
                    columns.Add(e switch
                    {
                        PhysicalColumn p when !p.PrimaryKey => new ColumnDef(0, p.Name.Value, Planner.Expressions.Collations.Normalize(p.Type, p.Position), p.Comment, DefaultExpression: ColumnDefaultText(p)),
                        ComputedColumn c => new ColumnDef(0, c.Name.Value, DataType.Null, c.Comment, ComputedExpression: SqlFormatter.Format(c.Expression)),
                        MetadataColumn m => new ColumnDef(0, m.Name.Value, m.Type, m.Comment, MetadataKey: m.Key, IsMetadata: true, IsVirtual: m.Virtual),
                        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"ALTER TABLE ... ADD supports columns only at {e.Position}", e.Position),
                    });
                }
                if (columns.Any(c => c.ComputedExpression is not null))
                {
                    var table = catalog.FindTable(path)!;
                    columns = ResolveComputedTypes(session, path, table with { Columns = [.. table.Columns, .. columns] }).Columns.Skip(table.Columns.Count).ToList();
                }
                await catalog.AddColumnsAsync(path, columns).ConfigureAwait(false);
                return TarnResult.Ok(StatementKind.Ddl, $"Table {path} altered");
            }
            case AlterTableRenameStatement rename:
                if (rename.NewName.Parts.Count > 1 && PathOf(session, rename.NewName) is var target && (target.Catalog != path.Catalog || target.Database != path.Database))
                    throw new TarnException(SqlStates.FeatureNotSupported, $"RENAME TO cannot move a table to another database at {rename.NewName.Position}", rename.NewName.Position);
                await catalog.RenameTableAsync(path, rename.NewName.Name.Value).ConfigureAwait(false);
                return TarnResult.Ok(StatementKind.Ddl, $"Table {path} renamed to {rename.NewName.Name.Value}");
            case AlterTableSetStatement set:
                if (catalog.FindTable(path) is { } altered)
                {
                    var merged = new Dictionary<string, string>(altered.Options, StringComparer.Ordinal);
                    foreach (var (k, v) in Options(set.Options)) merged[k] = v;
                    ValidateMergeOptions(altered with { Options = merged }, set.Options, set.Position);
                }
                await catalog.SetTableOptionsAsync(path, Options(set.Options), []).ConfigureAwait(false);
                return TarnResult.Ok(StatementKind.Ddl, $"Table {path} altered");
            case AlterTableResetStatement reset:
                if (catalog.FindTable(path) is { } reduced)
                {
                    var remaining = new Dictionary<string, string>(reduced.Options, StringComparer.Ordinal);
                    foreach (var k in reset.Keys) remaining.Remove(k);
                    ValidateMergeOptions(reduced with { Options = remaining }, NodeList<Property>.Empty, reset.Position);
                }
                await catalog.SetTableOptionsAsync(path, new Dictionary<string, string>(), reset.Keys.ToList()).ConfigureAwait(false);
                return TarnResult.Ok(StatementKind.Ddl, $"Table {path} altered");
            default:
                throw NotYet(alter, "this ALTER TABLE action");
        }
    }

    private static async Task<TarnResult> CreateCatalogAsync(TarnSession session, CreateCatalogStatement create)
    {
        var existed = session.Core.Catalog.Current.FindCatalog(create.Name.Value) is not null;
        await session.Core.Catalog.CreateCatalogAsync(create.Name.Value, Options(create.Options), create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, existed ? $"Catalog {create.Name.Value} already exists" : $"Catalog {create.Name.Value} created");
    }

    private static async Task<TarnResult> DropCatalogAsync(TarnSession session, DropCatalogStatement drop)
    {
        if (string.Equals(drop.Name.Value, session.CurrentCatalog, StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.ObjectInUse, $"cannot drop the current catalog '{drop.Name.Value}' at {drop.Name.Position}", drop.Name.Position);
        await session.Core.Catalog.DropCatalogAsync(drop.Name.Value, drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Catalog {drop.Name.Value} dropped");
    }

    private static async Task<TarnResult> CreateDatabaseAsync(TarnSession session, CreateDatabaseStatement create)
    {
        var parts = create.Name.Parts;
        var catalog = parts.Count > 1 ? parts[0].Value : session.CurrentCatalog;
        var existed = session.Core.Catalog.FindDatabase(catalog, parts[^1].Value) is not null;
        await session.Core.Catalog.CreateDatabaseAsync(catalog, parts[^1].Value, create.Comment, Options(create.Options), create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, existed ? $"Database {catalog}.{parts[^1].Value} already exists" : $"Database {catalog}.{parts[^1].Value} created");
    }

    private static async Task<TarnResult> DropDatabaseAsync(TarnSession session, DropDatabaseStatement drop)
    {
        var parts = drop.Name.Parts;
        var catalog = parts.Count > 1 ? parts[0].Value : session.CurrentCatalog;
        if (string.Equals(catalog, session.CurrentCatalog, StringComparison.OrdinalIgnoreCase) && string.Equals(parts[^1].Value, session.CurrentDatabase, StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.ObjectInUse, $"cannot drop the current database '{parts[^1].Value}' at {drop.Name.Position}", drop.Name.Position);
        await session.Core.Catalog.DropDatabaseAsync(catalog, parts[^1].Value, drop.IfExists, drop.Cascade).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Database {catalog}.{parts[^1].Value} dropped");
    }
}
