using System.Globalization;
using Tarn.Catalog.Model;

namespace Tarn.Connectors.Sqlite;

/// <summary>
/// The write options of a SQLite table, with Flink JDBC's names (and the legacy <c>connector.write.*</c> ones):
/// <c>sink.buffer-flush.max-rows</c> (a batch INSERT commits every this many rows; unset: the whole INSERT is one
/// transaction; a streaming job always commits one transaction per epoch, which exactly-once needs),
/// <c>sink.buffer-flush.interval</c> (accepted and checked; a job's epochs follow <c>execution.checkpointing.interval</c>),
/// <c>sink.max-retries</c> (retries of a transaction that failed because the file was busy or an I/O error, default 3),
/// and Tarn's <c>sqlite.create-if-missing</c> (CREATE TABLE creates the file and the table when missing).
/// </summary>
public sealed record SqliteSinkOptions(long? MaxRows, TimeSpan? FlushInterval, int MaxRetries, bool CreateIfMissing)
{
    public const string CreateIfMissingKey = "sqlite.create-if-missing";

    public static SqliteSinkOptions From(TableDef table)
    {
        long? maxRows = null;
        if (Get(table, "sink.buffer-flush.max-rows", "connector.write.flush.max-rows") is (string key, string rows))
        {
            if (!long.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw Invalid($"'{key}' of table '{table.Name}' must be a non-negative integer, got '{rows}'");
            maxRows = n == 0 ? null : n; // Flink: 0 disables the row limit
        }
        TimeSpan? interval = null;
        if (Get(table, "sink.buffer-flush.interval", "connector.write.flush.interval") is (string ikey, string itext))
        {
            if (!Catalog.Options.DurationText.TryParse(itext, out var d) || d < TimeSpan.Zero)
                throw Invalid($"'{ikey}' of table '{table.Name}' must be a duration such as '1 s', got '{itext}'");
            interval = d;
        }
        var retries = 3;
        if (Get(table, "sink.max-retries", "connector.write.max-retries") is (string rkey, string rtext)
            && (!int.TryParse(rtext, NumberStyles.None, CultureInfo.InvariantCulture, out retries) || retries > 100))
            throw Invalid($"'{rkey}' of table '{table.Name}' must be an integer from 0 to 100, got '{rtext}'");
        var create = false;
        if (Get(table, CreateIfMissingKey, null) is (string ckey, string ctext) && !bool.TryParse(ctext, out create))
            throw Invalid($"'{ckey}' of table '{table.Name}' must be 'true' or 'false', got '{ctext}'");
        return new SqliteSinkOptions(maxRows, interval, retries, create);
    }

    private static (string? Key, string? Value) Get(TableDef table, string key, string? legacy)
    {
        if (table.Options.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)) return (key, v.Trim());
        if (legacy is not null && table.Options.TryGetValue(legacy, out v) && !string.IsNullOrWhiteSpace(v)) return (legacy, v.Trim());
        return (null, null);
    }

    private static TarnException Invalid(string message) => new(SqlStates.InvalidParameterValue, message);
}
