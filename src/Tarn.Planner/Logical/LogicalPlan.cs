using Tarn.Types;

namespace Tarn.Planner.Logical;

/// <summary>A column a plan node produces: its name (for SELECT * and result headers) and type.</summary>
public sealed record OutputColumn(string Name, DataType Type, string? Qualifier = null);

/// <summary>
/// A node of the logical plan: what to compute, not how. The batch engine and (later) the streaming engine lower the
/// same logical plan (RisingWave's logical → batch_/stream_ split). Bound expressions inside a node refer to the
/// output columns of its input by index.
/// </summary>
public abstract record LogicalPlan
{
    public abstract IReadOnlyList<OutputColumn> Output { get; }
    public abstract IReadOnlyList<LogicalPlan> Inputs { get; }

    /// <summary>The same node over new inputs (used by optimizer rules).</summary>
    public abstract LogicalPlan WithInputs(IReadOnlyList<LogicalPlan> inputs);

    /// <summary>One-line description for EXPLAIN.</summary>
    public abstract string Describe();

    /// <summary>The plan as an indented tree; with <paramref name="estimates"/>, each node ends with its estimated row count.</summary>
    public string Explain(bool estimates = false)
    {
        var sb = new System.Text.StringBuilder();
        Explain(sb, 0, estimates);
        return sb.ToString();
    }

    private void Explain(System.Text.StringBuilder sb, int depth, bool estimates)
    {
        sb.Append(' ', depth * 2).Append(Describe());
        if (estimates)
            sb.Append("  (rows≈").Append(Math.Round(Statistics.CardinalityEstimator.Estimate(this)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(')');
        sb.Append('\n');
        foreach (var i in Inputs) i.Explain(sb, depth + 1, estimates);
    }
}
