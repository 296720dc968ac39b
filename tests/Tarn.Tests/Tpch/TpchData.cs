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

    /// <summary>Table name → column list (TPC-H specification 1.4, identifiers as INT, money as DECIMAL(15,2), every column NOT NULL).</summary>
    public static readonly IReadOnlyList<(string Table, string Columns)> Tables =
    [
        ("part", "p_partkey INT NOT NULL, p_name VARCHAR(55) NOT NULL, p_mfgr CHAR(25) NOT NULL, p_brand CHAR(10) NOT NULL, p_type VARCHAR(25) NOT NULL, p_size INT NOT NULL, p_container CHAR(10) NOT NULL, p_retailprice DECIMAL(15,2) NOT NULL, p_comment VARCHAR(23) NOT NULL"),
        ("supplier", "s_suppkey INT NOT NULL, s_name CHAR(25) NOT NULL, s_address VARCHAR(40) NOT NULL, s_nationkey INT NOT NULL, s_phone CHAR(15) NOT NULL, s_acctbal DECIMAL(15,2) NOT NULL, s_comment VARCHAR(101) NOT NULL"),
        ("partsupp", "ps_partkey INT NOT NULL, ps_suppkey INT NOT NULL, ps_availqty INT NOT NULL, ps_supplycost DECIMAL(15,2) NOT NULL, ps_comment VARCHAR(199) NOT NULL"),
        ("customer", "c_custkey INT NOT NULL, c_name VARCHAR(25) NOT NULL, c_address VARCHAR(40) NOT NULL, c_nationkey INT NOT NULL, c_phone CHAR(15) NOT NULL, c_acctbal DECIMAL(15,2) NOT NULL, c_mktsegment CHAR(10) NOT NULL, c_comment VARCHAR(117) NOT NULL"),
        ("orders", "o_orderkey INT NOT NULL, o_custkey INT NOT NULL, o_orderstatus CHAR(1) NOT NULL, o_totalprice DECIMAL(15,2) NOT NULL, o_orderdate DATE NOT NULL, o_orderpriority CHAR(15) NOT NULL, o_clerk CHAR(15) NOT NULL, o_shippriority INT NOT NULL, o_comment VARCHAR(79) NOT NULL"),
        ("lineitem", "l_orderkey INT NOT NULL, l_partkey INT NOT NULL, l_suppkey INT NOT NULL, l_linenumber INT NOT NULL, l_quantity DECIMAL(15,2) NOT NULL, l_extendedprice DECIMAL(15,2) NOT NULL, l_discount DECIMAL(15,2) NOT NULL, l_tax DECIMAL(15,2) NOT NULL, l_returnflag CHAR(1) NOT NULL, l_linestatus CHAR(1) NOT NULL, l_shipdate DATE NOT NULL, l_commitdate DATE NOT NULL, l_receiptdate DATE NOT NULL, l_shipinstruct CHAR(25) NOT NULL, l_shipmode CHAR(10) NOT NULL, l_comment VARCHAR(44) NOT NULL"),
        ("nation", "n_nationkey INT NOT NULL, n_name CHAR(25) NOT NULL, n_regionkey INT NOT NULL, n_comment VARCHAR(152) NOT NULL"),
        ("region", "r_regionkey INT NOT NULL, r_name CHAR(25) NOT NULL, r_comment VARCHAR(152) NOT NULL"),
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
