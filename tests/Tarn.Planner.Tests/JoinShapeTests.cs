using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Logical;
using Tarn.Planner.Optimizer;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Planner.Tests;

/// <summary>Filters derived from disjunctions and the bushy build sides of filtered dimensions.</summary>
public sealed class JoinShapeTests : PlannerTestBase
{
    private async Task CreateAsync(string name, int rows, params (string Name, DataType Type)[] columns)
    {
        var path = new ObjectPath("default_catalog", "default_database", name);
        await Catalog.CreateTableAsync(path, new TableDef(name, 0, columns.Select((c, i) => new ColumnDef(i, c.Name, c.Type)).ToList(),
            [], [], null, new Dictionary<string, string>(), null), false);
        var table = Engine.GetTable(Catalog.FindTable(path)!.TableId)!;
        var vectors = columns.Select(c => ColumnVector.Create(c.Type, rows)).ToArray();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                if (vectors[c] is PrimitiveVector<long> l) l.Append(r % (c + 1 == columns.Length ? 25 : rows));
                else ((BinaryVector)vectors[c]).Append("n" + (r % 25));
            }
        }
        using var builder = new Tarn.Storage.Tables.AppendBuilder(Engine, table);
        builder.Add(new ColumnBatch(vectors, rows));
        await Engine.CommitAsync(builder.Finish());
    }

    private static List<string> ScansWithFilters(LogicalPlan plan)
    {
        var found = new List<string>();
        void Walk(LogicalPlan p)
        {
            if (p is LogicalScan { Filters.Count: > 0 } s) found.Add(s.Table.Name);
            foreach (var i in p.Inputs) Walk(i);
        }
        Walk(plan);
        return found;
    }

    [Fact]
    public async Task An_or_across_two_tables_filters_each_table_when_every_branch_constrains_it()
    {
        await CreateAsync("sup", 100, ("sk", DataType.BigInt), ("snat", DataType.String));
        await CreateAsync("cus", 1000, ("ck", DataType.BigInt), ("cnat", DataType.String), ("sref", DataType.BigInt));
        var both = LogicalOptimizer.Optimize(Bind(
            "SELECT sk FROM sup, cus WHERE sk = sref AND ((snat = 'n1' AND cnat = 'n2') OR (snat = 'n2' AND cnat = 'n1'))"));
        Assert.Equal(["cus", "sup"], ScansWithFilters(both).Order());
        var one = LogicalOptimizer.Optimize(Bind("SELECT sk FROM sup, cus WHERE sk = sref AND ((snat = 'n1' AND cnat = 'n2') OR ck = 3)"));
        Assert.Equal(["cus"], ScansWithFilters(one));
    }

    [Fact]
    public async Task A_filtered_dimension_joins_its_only_partner_before_the_fact_table_meets_it()
    {
        await CreateAsync("fact", 5000, ("fk", DataType.BigInt), ("sref", DataType.BigInt));
        await CreateAsync("sup", 500, ("sk", DataType.BigInt), ("snat", DataType.BigInt));
        await CreateAsync("nat", 25, ("nk", DataType.BigInt), ("nname", DataType.String), ("nreg", DataType.BigInt));
        var plan = LogicalOptimizer.Optimize(Bind("SELECT fk, nname FROM fact, sup, nat WHERE sref = sk AND snat = nk AND nname = 'n3'"));
        var top = Find<LogicalJoin>(plan);
        Assert.Equal("fact", Find<LogicalScan>(top.Left).Table.Name);
        var build = Assert.IsType<LogicalJoin>(top.Right);
        Assert.Equal("sup", Find<LogicalScan>(build.Left).Table.Name);
        Assert.Equal("nat", Find<LogicalScan>(build.Right).Table.Name);
        Assert.Equal(["fk", "nname"], plan.Output.Select(c => c.Name));
    }
}
