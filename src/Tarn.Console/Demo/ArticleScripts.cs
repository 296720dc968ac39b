using System.Text;
using Tarn.Console.Interactive;

namespace Tarn.Console.Demo;

/// <summary>One statement of an example script with the comment lines written above it.</summary>
/// <param name="Narration">The comment lines before the statement, without their <c>--</c>.</param>
internal sealed record ScriptStatement(IReadOnlyList<string> Narration, string Sql);

/// <summary>
/// The article's SQL as shipped in <c>Examples/article/*.sql</c> (embedded in the console as well, so the demo needs
/// no files beside it). The demo runs exactly these statements, so what it shows is what <c>tarn -f</c> runs.
/// </summary>
internal static class ArticleScripts
{
    public const string Ods = "01_ods.sql";
    public const string OdsKafka = "01_ods_kafka.sql";
    public const string Import = "02_import.sql";
    public const string Dimension = "03_dimension.sql";
    public const string AdsBatch = "04_ads_batch.sql";
    public const string AdsStreaming = "04_ads_streaming.sql";
    public const string Olap = "05_olap.sql";

    /// <summary>Every script, in the order they run.</summary>
    public static readonly string[] InOrder = [Ods, Import, Dimension, AdsBatch, AdsStreaming, Olap];

    /// <summary>The SQLite file the scripts name; relative, so it lands in the directory the scripts run from.</summary>
    public const string SqliteUrl = "jdbc:sqlite:tarn-article.db";

    public const string KafkaBootstrap = "localhost:9092";

    /// <summary>The number of orders the generator of <see cref="Ods"/> makes.</summary>
    public const string OdsRows = "2000";

    public static string Text(string name)
    {
        using var stream = typeof(ArticleScripts).Assembly.GetManifestResourceStream("article/" + name)
            ?? throw new InvalidOperationException($"example script '{name}' is not embedded in the console");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces <paramref name="what"/> everywhere; a script that no longer contains it is a bug in the demo.</summary>
    public static string Substitute(string script, string what, string with, string name) =>
        script.Contains(what, StringComparison.Ordinal)
            ? script.Replace(what, with, StringComparison.Ordinal)
            : throw new InvalidOperationException($"example script '{name}' no longer contains '{what}'");

    /// <summary>
    /// Splits a script into statements. The file's first comment block (its title and how to run it) is skipped;
    /// comment lines before a statement become its narration; comments inside a statement stay in its SQL.
    /// </summary>
    public static List<ScriptStatement> Split(string script)
    {
        var statements = new List<ScriptStatement>();
        var narration = new List<string>();
        var sql = new StringBuilder();
        var inHeader = true;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (inHeader)
            {
                if (trimmed.StartsWith("--", StringComparison.Ordinal)) continue;
                inHeader = false;
            }
            if (sql.Length == 0)
            {
                if (trimmed.StartsWith("--", StringComparison.Ordinal))
                {
                    narration.Add(trimmed[2..].Trim());
                    continue;
                }
                if (trimmed.Length == 0)
                {
                    // A blank line ends a paragraph of narration; one before the statement's own comment is dropped.
                    if (narration.Count > 0 && narration[^1].Length > 0) narration.Add("");
                    continue;
                }
            }
            sql.Append(line).Append('\n');
            if (!StatementScanner.EndsStatement(sql.ToString())) continue;
            while (narration.Count > 0 && narration[^1].Length == 0) narration.RemoveAt(narration.Count - 1);
            statements.Add(new ScriptStatement(narration.ToArray(), sql.ToString().TrimEnd()));
            narration.Clear();
            sql.Clear();
        }
        if (!StatementScanner.IsBlank(sql.ToString())) statements.Add(new ScriptStatement(narration.ToArray(), sql.ToString().TrimEnd()));
        return statements;
    }
}
