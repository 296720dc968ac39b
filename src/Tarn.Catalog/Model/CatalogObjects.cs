namespace Tarn.Catalog.Model;

/// <summary>
/// A scalar SQL macro (<c>CREATE FUNCTION name(a, b) AS expression</c>, DuckDB's <c>CREATE MACRO</c>): the body is
/// kept as SQL text and expanded by the binder at each call with the arguments substituted for the parameters.
/// </summary>
public sealed record MacroDef(string Name, IReadOnlyList<string> Parameters, string Body)
{
    public int IndexOfParameter(string name)
    {
        for (var i = 0; i < Parameters.Count; i++)
            if (string.Equals(Parameters[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}

/// <summary>
/// A sequence (<c>CREATE SEQUENCE</c>). <see cref="Next"/> is the first value no process has reserved yet: values are
/// handed out from blocks reserved by a catalog commit, so after a restart NEXTVAL continues at <see cref="Next"/> and
/// never returns a value twice (values of a block not handed out before the restart are skipped, as with
/// PostgreSQL's sequence cache). <see cref="Exhausted"/>: every value has been reserved (no CYCLE).
/// </summary>
public sealed record SequenceDef(string Name, long Start, long Increment, long MinValue, long MaxValue, bool Cycle, long Next, bool Exhausted)
{
    /// <summary>The value after <paramref name="value"/>, wrapping with CYCLE; false when the sequence ends there.</summary>
    public bool TryAdvance(long value, out long next)
    {
        var ascending = Increment > 0;
        var overflow = ascending ? value > MaxValue - Increment : value < MinValue - Increment;
        if (!overflow)
        {
            next = value + Increment;
            return true;
        }
        next = ascending ? MinValue : MaxValue;
        return Cycle;
    }
}
