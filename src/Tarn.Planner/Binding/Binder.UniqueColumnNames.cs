using Tarn.Planner.Expressions;
using Tarn.Planner.Logical;

namespace Tarn.Planner.Binding;

/// <summary>
/// A FROM item's columns get distinct names, as in DuckDB: a derived table or WITH query whose select list repeats a
/// name (<c>SELECT a, * FROM t JOIN (SELECT c AS a ...)</c>) names the later copies <c>a_1</c>, <c>a_2</c>...,
/// so the first stays readable as <c>a</c> instead of every reference being ambiguous. Names given by a column alias
/// list (<c>AS t(x, y)</c>) are kept and reserved first.
/// </summary>
public sealed partial class Binder
{
    private static LogicalPlan WithUniqueColumnNames(LogicalPlan plan, int aliasedColumns)
    {
        var output = plan.Output;
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var duplicate = false;
        for (var i = 0; i < output.Count; i++) duplicate |= !taken.Add(output[i].Name);
        if (!duplicate) return plan;

        taken.Clear();
        var names = new string[output.Count];
        for (var i = 0; i < aliasedColumns; i++)
        {
            names[i] = output[i].Name;
            taken.Add(names[i]);
        }
        for (var i = aliasedColumns; i < output.Count; i++)
        {
            var name = output[i].Name;
            for (var suffix = 1; !taken.Add(name); suffix++) name = $"{output[i].Name}_{suffix}";
            names[i] = name;
        }
        return new LogicalProject(plan, output.Select((c, i) => (BoundExpression)BoundExpressions.Column(i, c.Type)).ToList(),
            output.Select((c, i) => c with { Name = names[i] }).ToList());
    }
}
