namespace Tarn.Planner.Binding;

public sealed partial class Binder
{
    private int _unnamedSubqueries;

    /// <summary>
    /// DuckDB's qualifier for a derived table without an alias: unnamed_subquery, unnamed_subquery2, ... in the order
    /// they appear in this binder's FROM clauses, so <c>SELECT unnamed_subquery.a FROM (SELECT 42 a)</c> works.
    /// </summary>
    private string UnnamedSubqueryName() =>
        ++_unnamedSubqueries == 1 ? "unnamed_subquery" : "unnamed_subquery" + _unnamedSubqueries.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
