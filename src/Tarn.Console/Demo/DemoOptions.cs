using System.Globalization;
using Tarn.Console.Cli;

namespace Tarn.Console.Demo;

/// <summary>What <c>tarn demo [DB_DIR] [--kafka BOOTSTRAP] [--rows N] [--keep]</c> asked for.</summary>
/// <param name="DatabasePath">DB_DIR, or null for <see cref="TarnDatabase.DefaultPath"/>.</param>
/// <param name="KafkaBootstrap">Also read the raw order log from this Kafka cluster (topic <c>tarn_orders</c>).</param>
/// <param name="Rows">Orders in the first batch; as many again arrive while the jobs run.</param>
/// <param name="Keep">Leave the demo's streaming jobs running (they resume whenever the database is opened).</param>
internal sealed record DemoOptions(string? DatabasePath, string? KafkaBootstrap, int Rows, bool Keep)
{
    public const int DefaultRows = 2000;

    public const string Usage = "Usage: tarn demo [DB_DIR] [--kafka BOOTSTRAP] [--rows N] [--keep]\n";

    public static string Help => Usage + $"""

        Builds the warehouse of the article "Can Flink Unify Real-Time and Offline Data Warehouses?" in the
        database DB_DIR (default {TarnDatabase.DefaultPath}) and explains each step: the ODS log, the
        streaming and batch order tables, a SQLite dimension table and lookup join, the per-age result table written
        once in batch and continuously in streaming mode, and ad-hoc queries while the jobs run. It ends by checking
        that the batch and the streaming results are equal. The demo lives in its own catalog, my_hive, and SQLite
        file next to the database; both are recreated by every run (if the default database has a my_hive of its
        own, the demo uses the database 'demo' beside it). The same SQL is in Examples/article/*.sql.

        Options:
              --kafka BOOTSTRAP  also feed the raw log from Kafka topic tarn_orders at BOOTSTRAP (host:port)
              --rows N           orders in the first batch (default {DefaultRows}); as many again arrive live
              --keep             leave the streaming jobs running (by default the demo stops them at the end)
          -h, --help             show this help

        """;

    /// <summary>Parses the arguments after <c>demo</c>; null with <paramref name="help"/> set for --help.</summary>
    public static DemoOptions? Parse(IReadOnlyList<string> args, out bool help)
    {
        help = false;
        string? database = null;
        string? kafka = null;
        var rows = DefaultRows;
        var keep = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            var (name, inline) = eq < 0 ? (arg, (string?)null) : (arg[..eq], arg[(eq + 1)..]);
            switch (name)
            {
                case "--kafka":
                    kafka = inline ?? Value(args, ref i, name);
                    if (kafka.Length == 0 || kafka.Contains('\'', StringComparison.Ordinal)) throw new UsageException($"invalid Kafka bootstrap address '{kafka}'");
                    break;
                case "--rows":
                    var text = inline ?? Value(args, ref i, name);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > 10_000_000)
                        throw new UsageException($"--rows needs a whole number from 1 to 10000000, got '{text}'");
                    break;
                case "--keep" when inline is null:
                    keep = true;
                    break;
                case "-h" or "-?" or "--help" when inline is null:
                    help = true;
                    return null;
                default:
                    if (arg.StartsWith('-') && arg != "-") throw new UsageException($"unknown demo option '{arg}'");
                    if (database is not null) throw new UsageException($"unexpected argument '{arg}' (the database directory is already '{database}')");
                    database = arg;
                    break;
            }
        }
        return new DemoOptions(database, kafka, rows, keep);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count) throw new UsageException($"option '{name}' needs a value");
        return args[++i];
    }
}
