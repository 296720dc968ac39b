using System.Globalization;
using Tarn.Planner.Logical;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Flink's query hint <c>SELECT /*+ STATE_TTL('o' = '1d', 'l' = '12h') */ ...</c> (Flink 1.18+): per input table of
/// a regular join or group aggregate, how long the operator keeps state for a key that is not updated, overriding
/// <c>table.exec.state.ttl</c>. Keys are the table names or aliases of the query block's FROM; each matching scan
/// carries the TTL, and the streaming lowering gives it to the join side or aggregate directly above the table (through
/// projections and filters only, as Flink applies it to the operator's direct inputs). Batch queries ignore it.
/// </summary>
public sealed partial class Binder
{
    private const string StateTtlHint = "STATE_TTL";

    private static LogicalPlan ApplyStateTtlHints(SelectBody select, LogicalPlan plan)
    {
        foreach (var hint in select.Hints)
        {
            if (!string.Equals(hint.Name, StateTtlHint, StringComparison.OrdinalIgnoreCase)) continue;
            if (hint.Options.Count == 0)
                throw new TarnException(SqlStates.SyntaxError,
                    $"STATE_TTL takes 'table or alias' = 'duration' pairs, e.g. /*+ STATE_TTL('o' = '1d', 'l' = '12h') */ at {hint.Position}", hint.Position);
            foreach (var option in hint.Options)
            {
                if (!TryParseTtl(option.Value, out var ttl))
                    throw new TarnException(SqlStates.InvalidParameterValue,
                        $"STATE_TTL value for '{option.Key}' must be a duration such as '1d', '12h' or '500 ms', got '{option.Value}' at {option.Position}", option.Position);
                var matched = false;
                plan = TagScans(plan, option.Key, ttl, ref matched);
                if (!matched)
                    throw new TarnException(SqlStates.UndefinedTable,
                        $"STATE_TTL names '{option.Key}', which is no table or alias in the FROM of this query at {option.Position}", option.Position);
            }
        }
        return plan;
    }

    /// <summary>Sets the TTL on the scans of this table or alias (a plan rebuilt only where one changed).</summary>
    private static LogicalPlan TagScans(LogicalPlan plan, string name, TimeSpan ttl, ref bool matched)
    {
        switch (plan)
        {
            case LogicalScan scan when Names(scan.Alias, scan.Path.Name, name):
                matched = true;
                return scan with { StateTtl = ttl };
            case LogicalConnectorScan scan when Names(scan.Alias, scan.Path.Name, name):
                matched = true;
                return scan with { StateTtl = ttl };
        }
        var inputs = plan.Inputs;
        if (inputs.Count == 0) return plan;
        LogicalPlan[]? changed = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var tagged = TagScans(inputs[i], name, ttl, ref matched);
            if (ReferenceEquals(tagged, inputs[i])) continue;
            changed ??= [.. inputs];
            changed[i] = tagged;
        }
        return changed is null ? plan : plan.WithInputs(changed);
    }

    private static bool Names(string alias, string table, string name) =>
        string.Equals(alias, name, StringComparison.OrdinalIgnoreCase) || string.Equals(table, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Flink durations: a number and a unit (ms, s, min, h, d and their words); no unit means milliseconds.</summary>
    private static bool TryParseTtl(string text, out TimeSpan ttl)
    {
        ttl = TimeSpan.Zero;
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (!long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        double ms = s[i..].Trim().ToLowerInvariant() switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => number,
            "s" or "sec" or "secs" or "second" or "seconds" => number * 1e3,
            "m" or "min" or "mins" or "minute" or "minutes" => number * 60e3,
            "h" or "hour" or "hours" => number * 3600e3,
            "d" or "day" or "days" => number * 86400e3,
            _ => -1,
        };
        if (ms < 0 || ms > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        ttl = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
