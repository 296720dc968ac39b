using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DuckDB.NET.Data;
using Npgsql;
using NpgsqlTypes;
using Tarn.Server.Hosting;

namespace Tarn.Benchmarks.PgWire;

/// <summary>
/// <c>pgwire [--rows N] [--iterations N] [--latency-only]</c>: the PostgreSQL endpoint over loopback. COPY ingest of a narrow table
/// (id BIGINT, qty INT, price DOUBLE) through Npgsql's binary importer and text COPY, beside the same rows through
/// DuckDB.NET's appender and Tarn's own embedded appender; then the round trip of <c>SELECT 1</c> through Npgsql and
/// through a raw socket (p50/p99 over N iterations after a warm-up). Client and server share this machine's cores.
/// The Npgsql COPY variants show where the time goes: the server takes pre-encoded binary COPY at 10+ M rows/s (in
/// 64 KB or Npgsql-sized 8 KB CopyData messages alike), so the importer's per-value Write cost is the limit; a larger
/// client write buffer (<c>Write Buffer Size=1048576</c>) roughly doubles it, and <c>BeginRawBinaryCopy</c> with rows
/// encoded by the caller reaches the server's own speed. Text COPY is bound by the server's text parsing.
/// </summary>
internal static partial class PgWireBenchmark
{
    public static int Run(string[] args)
    {
        var rows = 2_000_000;
        var iterations = 10_000;
        var latencyOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows" when i + 1 < args.Length: rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--iterations" when i + 1 < args.Length: iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--latency-only": latencyOnly = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var root = Path.Combine(Path.GetTempPath(), "tarn-pgbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"pgwire benchmark: {rows:N0} rows, {iterations:N0} round trips, {Environment.ProcessorCount} cores");
            RunAsync(root, rows, iterations, latencyOnly).GetAwaiter().GetResult();
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        return 0;
    }

    private static async Task RunAsync(string root, int rows, int iterations, bool latencyOnly)
    {
        await using var server = new TarnServer(TarnDatabase.Open(Path.Combine(root, "tarn")));
        var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
        var connectionString = $"Host=127.0.0.1;Port={port};Username=tarn;Database=tarn;Server Compatibility Mode=NoTypeLoading;Pooling=false;Command Timeout=600";
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        if (latencyOnly)
        {
            await PrintRoundTripsAsync(conn, port, iterations);
            return;
        }

        // Warm-up: JIT (and tier up) the COPY paths on both sides; each client variant gets its own warm-up below too.
        await ExecAsync(conn, "CREATE TABLE warm (id BIGINT, qty INT, price DOUBLE)");
        for (var round = 0; round < 3; round++)
        {
            await BinaryCopyAsync(conn, "warm", 100_000);
            await GenericBinaryCopyAsync(conn, "warm", 100_000);
            await RawStreamCopyAsync(conn, "warm", 100_000);
            await TextCopyAsync(conn, "warm", 100_000);
        }
        await ExecAsync(conn, "TRUNCATE TABLE warm");

        await ExecAsync(conn, "CREATE TABLE bin (id BIGINT, qty INT, price DOUBLE)");
        var binary = await TimeAsync(() => BinaryCopyAsync(conn, "bin", rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM bin"), rows);
        await ExecAsync(conn, "CREATE TABLE bigbuf (id BIGINT, qty INT, price DOUBLE)");
        await using var bigBuffer = new NpgsqlConnection(connectionString + ";Write Buffer Size=1048576");
        await bigBuffer.OpenAsync();
        await BinaryCopyAsync(bigBuffer, "warm", 100_000);
        var binaryBigBuffer = await TimeAsync(() => BinaryCopyAsync(bigBuffer, "bigbuf", rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM bigbuf"), rows);
        await ExecAsync(conn, "CREATE TABLE generic (id BIGINT, qty INT, price DOUBLE)");
        var binaryGeneric = await TimeAsync(() => GenericBinaryCopyAsync(conn, "generic", rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM generic"), rows);
        await ExecAsync(conn, "CREATE TABLE rawstream (id BIGINT, qty INT, price DOUBLE)");
        var rawStream = await TimeAsync(() => RawStreamCopyAsync(conn, "rawstream", rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM rawstream"), rows);
        await ExecAsync(conn, "CREATE TABLE txt (id BIGINT, qty INT, price DOUBLE)");
        var text = await TimeAsync(() => TextCopyAsync(conn, "txt", rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM txt"), rows);
        await ExecAsync(conn, "CREATE TABLE rawbin (id BIGINT, qty INT, price DOUBLE)");
        await ExecAsync(conn, "CREATE TABLE rawtxt (id BIGINT, qty INT, price DOUBLE)");
        using var copier = new RawClient(port);
        await copier.StartAsync();
        var rawBinary = await copier.CopyInAsync("COPY rawbin FROM STDIN (FORMAT binary)", RawCopyData.Binary(rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM rawbin"), rows);
        var rawText = await copier.CopyInAsync("COPY rawtxt FROM STDIN", RawCopyData.Text(rows));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM rawtxt"), rows);
        await ExecAsync(conn, "CREATE TABLE rawsmall (id BIGINT, qty INT, price DOUBLE)");
        var rawSmallFrames = await copier.CopyInAsync("COPY rawsmall FROM STDIN (FORMAT binary)", RawCopyData.Binary(rows, frameBytes: 8 * 1024));
        Check(await ScalarAsync(conn, "SELECT count(*) FROM rawsmall"), rows);
        var duck = DuckDbAppender(root, rows);
        var embedded = EmbeddedAppender(server.Database, rows);

        var duckLatency = DuckDbLatency(iterations);

        Console.WriteLine();
        Console.WriteLine("| measurement | Tarn | baseline | Tarn / baseline |");
        Console.WriteLine("|---|---|---|---|");
        Row("COPY binary (Npgsql importer), rows/s", rows / binary, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY binary (Npgsql importer, Write Buffer Size=1048576), rows/s", rows / binaryBigBuffer, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY binary (Npgsql importer, generic Write<T> without NpgsqlDbType), rows/s", rows / binaryGeneric, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY binary (Npgsql BeginRawBinaryCopy, rows encoded by the caller), rows/s", rows / rawStream, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY text (Npgsql text import), rows/s", rows / text, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY binary, pre-encoded over a raw socket (server only), rows/s", rows / rawBinary, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY binary, pre-encoded, 8 KB CopyData messages like Npgsql's (server only), rows/s", rows / rawSmallFrames, rows / duck, "DuckDB.NET appender, in-process");
        Row("COPY text, pre-encoded over a raw socket (server only), rows/s", rows / rawText, rows / duck, "DuckDB.NET appender, in-process");
        Row("TarnAppender (embedded, no wire), rows/s", rows / embedded, rows / duck, "DuckDB.NET appender, in-process");
        Console.WriteLine($"| SELECT 1 via DuckDB.NET in-process, p50 / p99 µs | {duckLatency.P50:F0} / {duckLatency.P99:F0} | | |");
        await PrintRoundTripsAsync(conn, port, iterations);
    }

    private static async Task PrintRoundTripsAsync(NpgsqlConnection conn, int port, int iterations)
    {
        var trips = await RoundTripsAsync(conn, port, iterations);
        Console.WriteLine();
        Console.WriteLine("| round trip | p50 µs | p99 µs |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, latency) in trips) Console.WriteLine($"| {name} | {latency.P50:F0} | {latency.P99:F0} |");
    }

    private static void Row(string name, double tarn, double baseline, string baselineName) =>
        Console.WriteLine($"| {name} | {tarn:N0} | {baseline:N0} ({baselineName}) | {tarn / baseline:F2}x |");

    private static async Task BinaryCopyAsync(NpgsqlConnection conn, string table, int rows)
    {
        // The synchronous per-value API: Npgsql's async one costs the client several times more per row.
        await using var importer = await conn.BeginBinaryImportAsync($"COPY {table} (id, qty, price) FROM STDIN (FORMAT binary)");
        for (var i = 0; i < rows; i++)
        {
            importer.StartRow();
            importer.Write((long)i, NpgsqlDbType.Bigint);
            importer.Write(i % 100, NpgsqlDbType.Integer);
            importer.Write(i * 0.25, NpgsqlDbType.Double);
        }
        await importer.CompleteAsync();
    }

    private static async Task GenericBinaryCopyAsync(NpgsqlConnection conn, string table, int rows)
    {
        await using var importer = await conn.BeginBinaryImportAsync($"COPY {table} (id, qty, price) FROM STDIN (FORMAT binary)");
        for (var i = 0; i < rows; i++)
        {
            importer.StartRow();
            importer.Write((long)i);
            importer.Write(i % 100);
            importer.Write(i * 0.25);
        }
        await importer.CompleteAsync();
    }

    /// <summary>
    /// The fastest way with Npgsql: BeginRawBinaryCopy hands over the CopyData stream and the caller encodes PostgreSQL's
    /// binary COPY format itself (big-endian field lengths and values) into large buffers.
    /// </summary>
    private static async Task RawStreamCopyAsync(NpgsqlConnection conn, string table, int rows)
    {
        await using var stream = await conn.BeginRawBinaryCopyAsync($"COPY {table} (id, qty, price) FROM STDIN (FORMAT binary)");
        var buffer = new byte[256 * 1024];
        var header = (ReadOnlySpan<byte>)[0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        header.CopyTo(buffer);
        var at = header.Length;
        const int RowBytes = 2 + 12 + 8 + 12;
        for (var i = 0; i < rows; i++)
        {
            if (at + RowBytes > buffer.Length)
            {
                await stream.WriteAsync(buffer.AsMemory(0, at));
                at = 0;
            }
            var row = buffer.AsSpan(at, RowBytes);
            BinaryPrimitives.WriteInt16BigEndian(row, 3);
            BinaryPrimitives.WriteInt32BigEndian(row[2..], 8);
            BinaryPrimitives.WriteInt64BigEndian(row[6..], i);
            BinaryPrimitives.WriteInt32BigEndian(row[14..], 4);
            BinaryPrimitives.WriteInt32BigEndian(row[18..], i % 100);
            BinaryPrimitives.WriteInt32BigEndian(row[22..], 8);
            BinaryPrimitives.WriteDoubleBigEndian(row[26..], i * 0.25);
            at += RowBytes;
        }
        BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(at), -1);
        await stream.WriteAsync(buffer.AsMemory(0, at + 2));
    }

    private static async Task TextCopyAsync(NpgsqlConnection conn, string table, int rows)
    {
        await using var writer = await conn.BeginTextImportAsync($"COPY {table} FROM STDIN");
        var line = new StringBuilder(64 * 1024);
        for (var i = 0; i < rows; i++)
        {
            line.Append(i).Append('\t').Append(i % 100).Append('\t').Append((i * 0.25).ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (line.Length > 60_000)
            {
                await writer.WriteAsync(line);
                line.Clear();
            }
        }
        await writer.WriteAsync(line);
    }

    private static double DuckDbAppender(string root, int rows)
    {
        using var duck = new DuckDBConnection($"Data Source={Path.Combine(root, "duck.duckdb")}");
        duck.Open();
        using (var create = duck.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id BIGINT, qty INTEGER, price DOUBLE)";
            create.ExecuteNonQuery();
        }
        var watch = Stopwatch.StartNew();
        using (var appender = duck.CreateAppender("t"))
        {
            for (var i = 0; i < rows; i++) appender.CreateRow().AppendValue((long)i).AppendValue(i % 100).AppendValue(i * 0.25).EndRow();
        }
        using (var checkpoint = duck.CreateCommand())
        {
            checkpoint.CommandText = "CHECKPOINT";
            checkpoint.ExecuteNonQuery();
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static double EmbeddedAppender(TarnDatabase db, int rows)
    {
        db.Execute("CREATE TABLE emb (id BIGINT, qty INT, price DOUBLE)");
        var watch = Stopwatch.StartNew();
        using (var appender = db.CreateAppender("emb"))
        {
            for (var i = 0; i < rows; i++) appender.Append((long)i).Append(i % 100).Append(i * 0.25).EndRow();
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static (double P50, double P99) DuckDbLatency(int iterations)
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = "SELECT 1";
        return LatencyAsync(iterations, () => { cmd.ExecuteScalar(); return Task.CompletedTask; }).GetAwaiter().GetResult();
    }

    private static async Task<(double P50, double P99)> LatencyAsync(int iterations, Func<Task> roundTrip)
    {
        for (var i = 0; i < Math.Min(1000, iterations); i++) await roundTrip();
        var micros = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await roundTrip();
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(micros);
        return (micros[iterations / 2], micros[Math.Min(iterations - 1, iterations * 99 / 100)]);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Check(object? count, long expected)
    {
        if (Convert.ToInt64(count, CultureInfo.InvariantCulture) != expected) throw new InvalidOperationException($"expected {expected} rows, found {count}");
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>The smallest client: a startup message, then Query frames read up to ReadyForQuery.</summary>
    private sealed class RawClient(int port) : IDisposable
    {
        private readonly TcpClient _client = new() { NoDelay = true };
        private readonly byte[] _query = QueryFrame("SELECT 1");
        private readonly byte[] _buffer = new byte[64 * 1024];
        private NetworkStream? _stream;

        public async Task StartAsync()
        {
            await _client.ConnectAsync(IPAddress.Loopback, port);
            _stream = _client.GetStream();
            var body = Encoding.UTF8.GetBytes("user\0tarn\0database\0tarn\0\0");
            var startup = new byte[8 + body.Length];
            BinaryPrimitives.WriteInt32BigEndian(startup, startup.Length);
            BinaryPrimitives.WriteInt32BigEndian(startup.AsSpan(4), 196608);
            body.CopyTo(startup, 8);
            await _stream.WriteAsync(startup);
            await ReadUntilReadyAsync();
        }

        /// <summary>Runs a COPY FROM STDIN with ready CopyData frames; returns the seconds from Query to ReadyForQuery.</summary>
        public async Task<double> CopyInAsync(string copy, List<byte[]> frames)
        {
            var watch = Stopwatch.StartNew();
            await _stream!.WriteAsync(QueryFrame(copy));
            var header = new byte[5];
            await _stream.ReadExactlyAsync(header);
            if (header[0] != 'G') throw new InvalidOperationException($"expected CopyInResponse, got '{(char)header[0]}'");
            await _stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4]);
            foreach (var frame in frames) await _stream.WriteAsync(frame);
            await _stream.WriteAsync(new byte[] { (byte)'c', 0, 0, 0, 4 });
            await ReadUntilReadyAsync();
            return watch.Elapsed.TotalSeconds;
        }

        public async Task SelectOneAsync()
        {
            await _stream!.WriteAsync(_query);
            await ReadUntilReadyAsync();
        }

        /// <summary>Reads until the buffer ends with a ReadyForQuery message ('Z', length 5, status).</summary>
        private async Task ReadUntilReadyAsync()
        {
            var filled = 0;
            while (true)
            {
                var n = await _stream!.ReadAsync(_buffer.AsMemory(filled));
                if (n == 0) throw new IOException("the server closed the connection");
                filled += n;
                if (filled >= 6 && _buffer[filled - 6] == 'Z' && BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(filled - 5)) == 5) return;
                if (filled == _buffer.Length) filled = 0;
            }
        }

        private static byte[] QueryFrame(string sql)
        {
            var text = Encoding.UTF8.GetBytes(sql);
            var frame = new byte[6 + text.Length];
            frame[0] = (byte)'Q';
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 5 + text.Length);
            text.CopyTo(frame, 5);
            return frame;
        }

        public void Dispose() => _client.Dispose();
    }
}
