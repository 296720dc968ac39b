using System.Globalization;
using System.Text;

namespace Tarn.Benchmarks.EndToEnd;

/// <summary>
/// A deterministic TPC-H data generator for scale factors the shipped sf0.01 data does not cover, used when DuckDB's
/// own <c>dbgen</c> (the tpch extension) is not available offline. It follows the specification's rules (4.2.3) for
/// what the 22 queries look at: table sizes per scale factor, key relations (sparse order keys, customers with
/// <c>custkey % 3 = 0</c> never order, the 4 suppliers of a part), value domains and dates (returnflag/linestatus from
/// the current date 1995-06-17, totalprice from the lines), the word lists of names, types, containers, segments,
/// priorities, ship modes and instructions, phone country codes and the "Customer ... Complaints" supplier comments.
/// Comments are random word sequences rather than dbgen's grammar, and the random streams differ from dbgen's, so
/// the answers differ from official ones; both engines read the same files, so their answers must agree.
/// </summary>
internal static class TpchGenerator
{
    private static readonly string[] Colors =
    [
        "almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue", "blush", "brown",
        "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream",
        "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro",
        "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender",
        "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint",
        "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru", "pink",
        "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle", "salmon", "sandy", "seashell",
        "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise",
        "violet", "wheat", "white", "yellow",
    ];

    private static readonly string[] TypeSize = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"];
    private static readonly string[] TypeFinish = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"];
    private static readonly string[] TypeMetal = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"];
    private static readonly string[] ContainerSize = ["SM", "LG", "MED", "JUMBO", "WRAP"];
    private static readonly string[] ContainerKind = ["CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"];
    private static readonly string[] Segments = ["AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"];
    private static readonly string[] Priorities = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
    private static readonly string[] Instructions = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
    private static readonly string[] Modes = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];

    private static readonly string[] Words =
    [
        "furiously", "carefully", "quickly", "blithely", "slyly", "fluffily", "ironic", "final", "regular", "express",
        "special", "pending", "bold", "even", "silent", "unusual", "careful", "idle", "deposits", "requests",
        "accounts", "packages", "instructions", "theodolites", "pinto", "beans", "foxes", "ideas", "dependencies",
        "excuses", "platelets", "asymptotes", "courts", "dolphins", "sleep", "wake", "are", "cajole", "haggle", "nag",
        "use", "boost", "affix", "detect", "integrate", "maintain", "nod", "was", "lose", "sublate", "solve", "thrash",
        "promise", "engage", "hinder", "print", "breach", "eat", "grow", "impress", "mold", "poach", "serve", "run",
        "dazzle", "snooze", "doze", "unwind", "kindle", "play", "hang", "believe", "doubt", "about", "above", "across",
        "after", "against", "along", "among", "around", "at", "atop", "before", "behind", "beneath", "beside",
        "between", "beyond", "by", "despite", "during", "except", "for", "from", "inside", "into", "near", "of", "on",
        "outside", "over", "past", "since", "through", "to", "toward", "under", "until", "upon", "without", "with",
        "within", "the", "the", "the",
    ];

    private static readonly DateOnly StartDate = new(1992, 1, 1);
    private static readonly DateOnly CurrentDate = new(1995, 6, 17);
    private static readonly DateOnly EndDate = new(1998, 12, 31);

    /// <summary>Writes the 8 <c>.tbl</c> files for scale factor <paramref name="sf"/> into <paramref name="dir"/>;
    /// nation and region are the fixed 25 + 5 rows, copied from <paramref name="fixedTablesDir"/>.</summary>
    public static void Generate(double sf, string dir, string fixedTablesDir)
    {
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(fixedTablesDir, "nation.tbl"), Path.Combine(dir, "nation.tbl"), true);
        File.Copy(Path.Combine(fixedTablesDir, "region.tbl"), Path.Combine(dir, "region.tbl"), true);
        var suppliers = Math.Max(1, (long)(10_000 * sf));
        var parts = Math.Max(1, (long)(200_000 * sf));
        var customers = Math.Max(3, (long)(150_000 * sf));
        var orders = Math.Max(1, (long)(1_500_000 * sf));
        var clerks = Math.Max(1, (long)(1_000 * sf));
        WritePart(dir, parts);
        WritePartSupp(dir, parts, suppliers);
        WriteSupplier(dir, suppliers);
        WriteCustomer(dir, customers);
        WriteOrdersAndLineitem(dir, orders, customers, parts, suppliers, clerks);
    }

    private static StreamWriter Open(string dir, string table) =>
        new(Path.Combine(dir, table + ".tbl"), false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };

    /// <summary>p_retailprice in cents (specification 4.2.3).</summary>
    private static long RetailCents(long partKey) => 90_000 + partKey / 10 % 20_001 + 100 * (partKey % 1_000);

    private static void WritePart(string dir, long parts)
    {
        var rng = new Rng(1);
        using var w = Open(dir, "part");
        var name = new StringBuilder();
        for (long k = 1; k <= parts; k++)
        {
            name.Clear();
            for (var i = 0; i < 5; i++) name.Append(i == 0 ? "" : " ").Append(Colors[rng.Next(Colors.Length)]);
            var m = rng.Next(1, 5);
            w.Write(k); w.Write('|');
            w.Write(name); w.Write('|');
            w.Write("Manufacturer#"); w.Write(m); w.Write('|');
            w.Write("Brand#"); w.Write(m); w.Write(rng.Next(1, 5)); w.Write('|');
            w.Write(TypeSize[rng.Next(6)]); w.Write(' '); w.Write(TypeFinish[rng.Next(5)]); w.Write(' '); w.Write(TypeMetal[rng.Next(5)]); w.Write('|');
            w.Write(rng.Next(1, 50)); w.Write('|');
            w.Write(ContainerSize[rng.Next(5)]); w.Write(' '); w.Write(ContainerKind[rng.Next(8)]); w.Write('|');
            Money(w, RetailCents(k)); w.Write('|');
            Comment(w, rng, 5, 22);
            w.Write('\n');
        }
    }

    /// <summary>The i-th (0..3) supplier of a part (specification 4.2.3).</summary>
    private static long SupplierOf(long partKey, int i, long suppliers) =>
        (partKey + i * (suppliers / 4 + (partKey - 1) / suppliers)) % suppliers + 1;

    private static void WritePartSupp(string dir, long parts, long suppliers)
    {
        var rng = new Rng(2);
        using var w = Open(dir, "partsupp");
        for (long k = 1; k <= parts; k++)
        {
            for (var i = 0; i < 4; i++)
            {
                w.Write(k); w.Write('|');
                w.Write(SupplierOf(k, i, suppliers)); w.Write('|');
                w.Write(rng.Next(1, 9_999)); w.Write('|');
                Money(w, rng.Next(100, 100_000)); w.Write('|');
                Comment(w, rng, 49, 198);
                w.Write('\n');
            }
        }
    }

    private static void WriteSupplier(string dir, long suppliers)
    {
        var rng = new Rng(3);
        using var w = Open(dir, "supplier");
        for (long k = 1; k <= suppliers; k++)
        {
            var nation = rng.Next(0, 24);
            w.Write(k); w.Write('|');
            w.Write("Supplier#"); w.Write(k.ToString("D9", CultureInfo.InvariantCulture)); w.Write('|');
            Address(w, rng); w.Write('|');
            w.Write(nation); w.Write('|');
            Phone(w, rng, nation); w.Write('|');
            Money(w, rng.Next(-99_999, 999_999)); w.Write('|');
            // 5 in 10,000 suppliers have complaints and 5 recommendations (q16 filters the complaints out)
            var special = rng.Next(10_000);
            if (special < 5) w.Write("sly Customer requests Complaints about the bold ideas");
            else if (special < 10) w.Write("slyly Customer packages Recommends the even ideas");
            else Comment(w, rng, 25, 100);
            w.Write('\n');
        }
    }

    private static void WriteCustomer(string dir, long customers)
    {
        var rng = new Rng(4);
        using var w = Open(dir, "customer");
        for (long k = 1; k <= customers; k++)
        {
            var nation = rng.Next(0, 24);
            w.Write(k); w.Write('|');
            w.Write("Customer#"); w.Write(k.ToString("D9", CultureInfo.InvariantCulture)); w.Write('|');
            Address(w, rng); w.Write('|');
            w.Write(nation); w.Write('|');
            Phone(w, rng, nation); w.Write('|');
            Money(w, rng.Next(-99_999, 999_999)); w.Write('|');
            w.Write(Segments[rng.Next(5)]); w.Write('|');
            Comment(w, rng, 29, 116);
            w.Write('\n');
        }
    }

    private static void WriteOrdersAndLineitem(string dir, long orders, long customers, long parts, long suppliers, long clerks)
    {
        var rng = new Rng(5);
        using var ow = Open(dir, "orders");
        using var lw = Open(dir, "lineitem");
        var lastOrderDay = EndDate.DayNumber - 151 - StartDate.DayNumber;
        var line = new StringBuilder();
        var lines = new StringBuilder();
        for (long i = 0; i < orders; i++)
        {
            // sparse keys: the first 8 of every 32
            var orderKey = i / 8 * 32 + i % 8 + 1;
            long custKey;
            do custKey = rng.NextLong(1, customers); while (custKey % 3 == 0);
            var orderDate = StartDate.AddDays(rng.Next(0, lastOrderDay));
            var lineCount = rng.Next(1, 7);
            long totalCents = 0;
            int shippedF = 0, shippedO = 0;
            lines.Clear();
            for (var l = 1; l <= lineCount; l++)
            {
                var partKey = rng.NextLong(1, parts);
                var suppKey = SupplierOf(partKey, rng.Next(0, 3), suppliers);
                var quantity = rng.Next(1, 50);
                var extended = quantity * RetailCents(partKey);
                var discount = rng.Next(0, 10);
                var tax = rng.Next(0, 8);
                var shipDate = orderDate.AddDays(rng.Next(1, 121));
                var commitDate = orderDate.AddDays(rng.Next(30, 90));
                var receiptDate = shipDate.AddDays(rng.Next(1, 30));
                var returnFlag = receiptDate <= CurrentDate ? (rng.Next(2) == 0 ? 'R' : 'A') : 'N';
                var lineStatus = shipDate > CurrentDate ? 'O' : 'F';
                if (lineStatus == 'F') shippedF++; else shippedO++;
                // totalprice: sum of extendedprice × (1 + tax) × (1 - discount), each line rounded to cents
                totalCents += (long)Math.Round(extended * (100 + tax) * (100 - discount) / 10_000.0, MidpointRounding.AwayFromZero);
                line.Clear();
                line.Append(orderKey).Append('|').Append(partKey).Append('|').Append(suppKey).Append('|').Append(l).Append('|')
                    .Append(quantity).Append('|');
                AppendMoney(line, extended); line.Append('|');
                AppendMoney(line, discount); line.Append('|');
                AppendMoney(line, tax); line.Append('|');
                line.Append(returnFlag).Append('|').Append(lineStatus).Append('|');
                AppendDate(line, shipDate); line.Append('|');
                AppendDate(line, commitDate); line.Append('|');
                AppendDate(line, receiptDate); line.Append('|');
                line.Append(Instructions[rng.Next(4)]).Append('|').Append(Modes[rng.Next(7)]).Append('|');
                AppendComment(line, rng, 10, 43);
                lines.Append(line).Append('\n');
            }
            lw.Write(lines);
            var status = shippedO == 0 ? 'F' : shippedF == 0 ? 'O' : 'P';
            line.Clear();
            line.Append(orderKey).Append('|').Append(custKey).Append('|').Append(status).Append('|');
            AppendMoney(line, totalCents); line.Append('|');
            AppendDate(line, orderDate); line.Append('|');
            line.Append(Priorities[rng.Next(5)]).Append('|');
            line.Append("Clerk#").Append(rng.NextLong(1, clerks).ToString("D9", CultureInfo.InvariantCulture)).Append('|');
            line.Append("0|");
            AppendComment(line, rng, 19, 78);
            ow.Write(line);
            ow.Write('\n');
        }
    }

    private static void Money(StreamWriter w, long cents)
    {
        var sb = new StringBuilder(16);
        AppendMoney(sb, cents);
        w.Write(sb);
    }

    private static void AppendMoney(StringBuilder sb, long cents)
    {
        if (cents < 0) { sb.Append('-'); cents = -cents; }
        sb.Append(cents / 100).Append('.');
        var frac = cents % 100;
        if (frac < 10) sb.Append('0');
        sb.Append(frac);
    }

    private static void AppendDate(StringBuilder sb, DateOnly d) =>
        sb.Append(d.Year).Append('-').Append(d.Month < 10 ? "0" : "").Append(d.Month).Append('-').Append(d.Day < 10 ? "0" : "").Append(d.Day);

    private static void Phone(StreamWriter w, Rng rng, int nation)
    {
        w.Write(nation + 10); w.Write('-');
        w.Write(rng.Next(100, 999)); w.Write('-');
        w.Write(rng.Next(100, 999)); w.Write('-');
        w.Write(rng.Next(1000, 9999));
    }

    private static void Address(StreamWriter w, Rng rng)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,";
        var n = rng.Next(10, 40);
        for (var i = 0; i < n; i++) w.Write(chars[rng.Next(chars.Length)]);
    }

    private static void Comment(StreamWriter w, Rng rng, int min, int max)
    {
        var sb = new StringBuilder(max + 16);
        AppendComment(sb, rng, min, max);
        w.Write(sb);
    }

    /// <summary>Random words up to a random length in [min, max] characters.</summary>
    private static void AppendComment(StringBuilder sb, Rng rng, int min, int max)
    {
        var length = rng.Next(min, max);
        var start = sb.Length;
        while (sb.Length - start < length)
        {
            if (sb.Length > start) sb.Append(rng.Next(8) == 0 ? ", " : " ");
            sb.Append(Words[rng.Next(Words.Length)]);
        }
        sb.Length = start + length;
    }

    /// <summary>SplitMix64: fast, and the same stream on every runtime (System.Random's seeded stream is not promised).</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL;

        private ulong NextBits()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, n).</summary>
        public int Next(int n) => (int)(NextBits() % (ulong)n);

        /// <summary>Uniform in [min, max], both included (dbgen's ranges are inclusive).</summary>
        public int Next(int min, int max) => min + (int)(NextBits() % (ulong)(max - min + 1));

        public long NextLong(long min, long max) => min + (long)(NextBits() % (ulong)(max - min + 1));
    }
}
