namespace Tarn.Tests.Tpch;

/// <summary>
/// Where the TPC-H material lives (<c>shared/tpch</c> next to the repository: queries, sf0.01 data, answers) and the
/// schema of the 8 tables with the standard's types.
/// </summary>
public static class TpchData
{
    /// <summary>
    /// The <c>shared/tpch</c> folder: <c>TARN_TPCH_DIR</c> if set, else the first <c>shared/tpch</c> found walking up
    /// from the test binaries (the repository is <c>/work/main</c> or a worktree <c>/work/wt/x</c>, so the folder is
    /// a sibling of the repository or of its parent).
    /// </summary>
    public static string Root { get; } = FindRoot();

    public static string DataDir(string scale = "sf0.01") => Path.Combine(Root, scale);

    public static string QueryText(int q) => File.ReadAllText(Path.Combine(Root, "queries", $"q{q:00}.sql"));

    public static string AnswerPath(int q) => Path.Combine(Root, "answers-sf0.01", $"q{q:00}.csv");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("TARN_TPCH_DIR") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "tpch");
            if (Directory.Exists(Path.Combine(candidate, "queries"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"TPC-H material not found: no shared/tpch above {AppContext.BaseDirectory}; set TARN_TPCH_DIR to the folder holding queries/, sf0.01/ and answers-sf0.01/");
    }

    /// <summary>Table name → column list (TPC-H specification 1.4, identifiers as INT, money as DECIMAL(15,2)).</summary>
    public static readonly IReadOnlyList<(string Table, string Columns)> Tables =
    [
        ("part", "p_partkey INT, p_name VARCHAR(55), p_mfgr CHAR(25), p_brand CHAR(10), p_type VARCHAR(25), p_size INT, p_container CHAR(10), p_retailprice DECIMAL(15,2), p_comment VARCHAR(23)"),
        ("supplier", "s_suppkey INT, s_name CHAR(25), s_address VARCHAR(40), s_nationkey INT, s_phone CHAR(15), s_acctbal DECIMAL(15,2), s_comment VARCHAR(101)"),
        ("partsupp", "ps_partkey INT, ps_suppkey INT, ps_availqty INT, ps_supplycost DECIMAL(15,2), ps_comment VARCHAR(199)"),
        ("customer", "c_custkey INT, c_name VARCHAR(25), c_address VARCHAR(40), c_nationkey INT, c_phone CHAR(15), c_acctbal DECIMAL(15,2), c_mktsegment CHAR(10), c_comment VARCHAR(117)"),
        ("orders", "o_orderkey INT, o_custkey INT, o_orderstatus CHAR(1), o_totalprice DECIMAL(15,2), o_orderdate DATE, o_orderpriority CHAR(15), o_clerk CHAR(15), o_shippriority INT, o_comment VARCHAR(79)"),
        ("lineitem", "l_orderkey INT, l_partkey INT, l_suppkey INT, l_linenumber INT, l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2), l_tax DECIMAL(15,2), l_returnflag CHAR(1), l_linestatus CHAR(1), l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, l_shipinstruct CHAR(25), l_shipmode CHAR(10), l_comment VARCHAR(44)"),
        ("nation", "n_nationkey INT, n_name CHAR(25), n_regionkey INT, n_comment VARCHAR(152)"),
        ("region", "r_regionkey INT, r_name CHAR(25), r_comment VARCHAR(152)"),
    ];

    /// <summary>
    /// Creates the 8 tables in <paramref name="db"/> and loads them from <paramref name="dataDir"/>'s <c>.tbl</c> files
    /// through filesystem connector tables (<c>INSERT INTO t SELECT * FROM t_src</c>).
    /// </summary>
    public static async Task LoadAsync(TarnDatabase db, string dataDir)
    {
        foreach (var (table, columns) in Tables)
        {
            var file = Path.Combine(dataDir, table + ".tbl");
            await db.ExecuteAsync($"CREATE TABLE {table} ({columns})");
            await db.ExecuteAsync($"CREATE TABLE {table}_src ({columns}) WITH ('connector' = 'filesystem', 'path' = '{file.Replace("'", "''", StringComparison.Ordinal)}', 'format' = 'csv', 'csv.field-delimiter' = '|')");
            await db.ExecuteAsync($"INSERT INTO {table} SELECT * FROM {table}_src");
        }
    }
}
