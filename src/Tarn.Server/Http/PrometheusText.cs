using System.Globalization;
using System.Text;
using Tarn.Server.Hosting;

namespace Tarn.Server.Http;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text exposition format 0.0.4: for each metric a HELP and a TYPE line, then its
/// samples. Server counters come from <see cref="ServerMetrics"/>; streaming jobs from <c>tarn_jobs</c>; the database
/// size from its directory.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static async Task<string> RenderAsync(ServerHost host, CancellationToken cancellation)
    {
        var metrics = host.Server.Metrics;
        var text = new StringBuilder(4096);

        Family(text, "tarn_up", "gauge", "1 while the server process runs.");
        Sample(text, "tarn_up", [], 1);
        Family(text, "tarn_ready", "gauge", "1 when the database is open and the listeners started, 0 while starting or shutting down.");
        Sample(text, "tarn_ready", [], host.IsReady ? 1 : 0);

        Family(text, "tarn_connections_open", "gauge", "Client connections open now, per protocol.");
        foreach (var protocol in ServerProtocols.All)
            Sample(text, "tarn_connections_open", [("protocol", ServerProtocols.Name(protocol))], metrics.OpenConnections(protocol));
        Family(text, "tarn_connections_total", "counter", "Client connections accepted since start, per protocol.");
        foreach (var protocol in ServerProtocols.All)
            Sample(text, "tarn_connections_total", [("protocol", ServerProtocols.Name(protocol))], metrics.TotalConnections(protocol));
        Family(text, "tarn_requests_in_flight", "gauge", "Requests received and not yet answered, all protocols.");
        Sample(text, "tarn_requests_in_flight", [], metrics.RequestsInFlight);

        Family(text, "tarn_queries_total", "counter", "SQL statements run, per protocol.");
        foreach (var protocol in ServerProtocols.All)
            Sample(text, "tarn_queries_total", [("protocol", ServerProtocols.Name(protocol))], metrics.Queries(protocol));
        Family(text, "tarn_query_errors_total", "counter", "SQL statements that failed, per protocol.");
        foreach (var protocol in ServerProtocols.All)
            Sample(text, "tarn_query_errors_total", [("protocol", ServerProtocols.Name(protocol))], metrics.QueryErrors(protocol));
        Family(text, "tarn_auth_failures_total", "counter", "Failed client authentications.");
        Sample(text, "tarn_auth_failures_total", [], metrics.AuthFailures);

        Family(text, "tarn_rows_ingested_total", "counter", "Rows written into each table, by way in (sql: INSERT statements, kafka: Produce).");
        var ingested = metrics.IngestedRows().ToList();
        ingested.Sort((a, b) => (string.CompareOrdinal(a.Table, b.Table) * 2) + string.CompareOrdinal(a.Via, b.Via));
        foreach (var (table, via, rows) in ingested) Sample(text, "tarn_rows_ingested_total", [("table", table), ("via", via)], rows);
        Family(text, "tarn_kafka_produce_records_total", "counter", "Records appended by Kafka Produce requests.");
        Sample(text, "tarn_kafka_produce_records_total", [], metrics.KafkaProducedRecords);
        Family(text, "tarn_kafka_produce_compressed_batches_total", "counter", "Produced record batches that arrived compressed and were inflated, per codec.");
        foreach (var (codec, name) in KafkaCodecNames)
            Sample(text, "tarn_kafka_produce_compressed_batches_total", [("codec", name)], metrics.KafkaCompressedBatches(codec));
        Family(text, "tarn_kafka_fetch_records_total", "counter", "Records returned by Kafka Fetch requests.");
        Sample(text, "tarn_kafka_fetch_records_total", [], metrics.KafkaFetchedRecords);

        await JobsAsync(text, host.Server.Database, cancellation).ConfigureAwait(false);

        Family(text, "tarn_database_size_bytes", "gauge", "Bytes on disk under the database directory (data, log, state).");
        Sample(text, "tarn_database_size_bytes", [], DirectorySize(host.Server.Database.Path));
        return text.ToString();
    }

    /// <summary>Kafka's codec ids (record batch attributes bits 0-2) and their names.</summary>
    private static readonly (int Codec, string Name)[] KafkaCodecNames = [(1, "gzip"), (2, "snappy"), (3, "lz4"), (4, "zstd")];

    private static async Task JobsAsync(StringBuilder text, TarnDatabase database, CancellationToken cancellation)
    {
        using var session = database.CreateSession();
        var jobs = await session.ExecuteAsync(
            "SELECT job_id, status, input_lag, state_bytes, last_checkpoint_seconds, rows_in, rows_out FROM tarn_jobs ORDER BY job_id",
            TarnParameters.None, cancellation).ConfigureAwait(false);
        var rows = jobs.Rows.ToList();
        var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["RUNNING"] = 0 };
        foreach (var row in rows) byStatus[(string)row[1]!] = byStatus.GetValueOrDefault((string)row[1]!) + 1;

        Family(text, "tarn_streaming_jobs", "gauge", "Streaming jobs, per status.");
        foreach (var (status, count) in byStatus) Sample(text, "tarn_streaming_jobs", [("status", status.ToLowerInvariant())], count);
        Family(text, "tarn_streaming_job_lag_records", "gauge", "Rows committed to a running job's source tables that it has not processed yet.");
        foreach (var row in rows) if (row[2] is long lag) Sample(text, "tarn_streaming_job_lag_records", [("job", (string)row[0]!)], lag);
        Family(text, "tarn_streaming_job_last_checkpoint_duration_seconds", "gauge", "Duration of a running job's last state checkpoint.");
        foreach (var row in rows) if (row[4] is double seconds) Sample(text, "tarn_streaming_job_last_checkpoint_duration_seconds", [("job", (string)row[0]!)], seconds);
        Family(text, "tarn_streaming_job_state_bytes", "gauge", "Bytes of a running job's operator state on disk.");
        foreach (var row in rows) if (row[3] is long bytes) Sample(text, "tarn_streaming_job_state_bytes", [("job", (string)row[0]!)], bytes);
        Family(text, "tarn_streaming_job_rows_in_total", "counter", "Rows a job has read from its sources.");
        foreach (var row in rows) Sample(text, "tarn_streaming_job_rows_in_total", [("job", (string)row[0]!)], Convert.ToDouble(row[5], CultureInfo.InvariantCulture));
        Family(text, "tarn_streaming_job_rows_out_total", "counter", "Rows a job has written to its sinks.");
        foreach (var row in rows) Sample(text, "tarn_streaming_job_rows_out_total", [("job", (string)row[0]!)], Convert.ToDouble(row[6], CultureInfo.InvariantCulture));
    }

    private static long DirectorySize(string path)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                try { total += file.Length; }
                catch (IOException) { } // removed by compaction meanwhile
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the directory is being rewritten: report what was counted
        }
        return total;
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) text.Append(',');
                text.Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value)
                {
                    switch (c)
                    {
                        case '\\': text.Append("\\\\"); break;
                        case '"': text.Append("\\\""); break;
                        case '\n': text.Append("\\n"); break;
                        default: text.Append(c); break;
                    }
                }
                text.Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
