namespace Tarn.Console.Demo;

/// <summary>Compares two results of <c>age, avg_amount</c> rows ordered by age: the streaming table and the batch query.</summary>
internal static class DemoComparison
{
    /// <summary>The differences in plain words; empty when both have the same rows with equal values.</summary>
    public static List<string> Differences(TarnResult streaming, TarnResult batch)
    {
        var streamingRows = ByKey(streaming);
        var batchRows = ByKey(batch);
        var differences = new List<string>();
        foreach (var (key, expected) in batchRows)
        {
            if (!streamingRows.TryGetValue(key, out var actual)) differences.Add($"age {key}: batch {Show(expected)}, missing in the streaming table");
            else if (!Equals(expected, actual)) differences.Add($"age {key}: batch {Show(expected)}, streaming {Show(actual)}");
        }
        foreach (var (key, actual) in streamingRows)
            if (!batchRows.ContainsKey(key)) differences.Add($"age {key}: streaming {Show(actual)}, not in the batch answer");
        return differences;
    }

    private static SortedDictionary<string, object?> ByKey(TarnResult result)
    {
        var rows = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var row in result.Rows) rows[Show(row[0])] = row[1];
        return rows;
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
