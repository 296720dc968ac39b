using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Binding;
using Tarn.Planner.Logical;
using Tarn.Sql;
using Tarn.Sql.Ast;
using Tarn.Storage.Engine;
using Tarn.Types;

namespace Tarn.Planner.Tests;

/// <summary>A fresh database with an <c>orders(id, status, amount, ts)</c> table, and binding helpers.</summary>
public abstract class PlannerTestBase : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tarn-plan-" + Guid.NewGuid().ToString("N")[..10]);

    protected PlannerTestBase()
    {
        Engine = StorageEngine.Open(_dir, new StorageOptions { BackgroundWork = false });
        Catalog = new CatalogManager(Engine);
        Catalog.CreateTableAsync(new ObjectPath("default_catalog", "default_database", "orders"), new TableDef("orders", 0,
            [new ColumnDef(0, "id", DataType.BigInt), new ColumnDef(1, "status", DataType.String), new ColumnDef(2, "amount", DataType.Double), new ColumnDef(3, "ts", DataType.Timestamp(6))],
            [], [], null, new Dictionary<string, string>(), null), false).GetAwaiter().GetResult();
    }

    protected StorageEngine Engine { get; }

    protected CatalogManager Catalog { get; }

    public void Dispose()
    {
        Engine.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    protected LogicalPlan Bind(string sql) =>
        new Binder(new BindContext(Catalog, "default_catalog", "default_database", null, null, TimeZoneInfo.Utc))
            .BindQuery(((QueryStatement)SqlParser.ParseStatement(sql)).Query).Plan;

    /// <summary>The first node of type <typeparamref name="T"/> in the plan (preorder), or null.</summary>
    protected static T? FindOrNull<T>(LogicalPlan plan) where T : LogicalPlan =>
        plan as T ?? plan.Inputs.Select(FindOrNull<T>).FirstOrDefault(p => p is not null);

    protected static T Find<T>(LogicalPlan plan) where T : LogicalPlan => FindOrNull<T>(plan)!;
}
