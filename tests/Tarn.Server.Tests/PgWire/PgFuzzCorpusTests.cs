using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Tarn.Server.Tests.PgWire;

/// <summary>
/// A seeded fuzz run of well over 100 000 pgwire frames over thousands of connections, 16 at a time: random bytes
/// instead of a startup, bad lengths, random typed messages, and mostly well-formed extended-protocol messages with
/// wild counts, truncated fields and odd statements. Every connection must end (close, after an ErrorResponse when
/// the server gave up on it) within a timeout; no connection may end with an internal error (an exception that escaped
/// the protocol handling); afterwards a fresh client still gets an answer.
/// </summary>
public sealed class PgFuzzCorpusTests
{
    private const int Seed = 20261126;
    private const int FrameTarget = 100_000;

    private static readonly string[] Statements =
    [
        "SELECT 1", "SELECT $1", "SELECT $1, $2", "SELECT id, v FROM fz WHERE id = $1", "INSERT INTO fz VALUES ($1, $2)",
        "SELECT COUNT(*) FROM fz", "", " ", "BEGIN", "COMMIT", "ROLLBACK", "SELECT nope", "SELECT $70000", "SELECT 'open",
        "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM (VALUES (1), (2)) AS t(x)", "FETCH 1 c", "FETCH ALL FROM c", "CLOSE c",
        "DECLARE sub_z CURSOR WITH HOLD FOR SUBSCRIBE (SELECT id FROM fz)", "FETCH ALL sub_z WITH (timeout = '0s')", "FETCH 5 FROM sub_z WITH (timeout = '10ms')",
        "CLOSE sub_z", "CLOSE ALL", "FETCH 1 missing", "DECLARE", "FETCH", "SET x = 1", "SHOW TABLES", "DISCARD ALL",
        "SUBSCRIBE (VALUES (1, 'a'))", "SELECT 1; SELECT 2", "UPDATE fz SET v = $1 WHERE id = $2", "DELETE FROM fz WHERE id = $1",
        "SELECT CAST($1 AS INT)", "SELECT * FROM fz f1, fz f2 WHERE f1.id = $1",
    ];

    private static readonly int[] Oids = [0, 16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1083, 1114, 1184, 1700, 2950, 3802, -1, int.MaxValue];

    [Fact]
    public async Task HundredThousandFramesNeverCrashOrHangTheServer()
    {
        await using var server = new PgServerFixture();
        await using (var setup = new NpgsqlConnection(server.ConnectionString(prepare: false)))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE fz (id INT, v STRING)", setup);
            await create.ExecuteNonQueryAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO fz VALUES (1, 'a'), (2, 'b')", setup);
            await insert.ExecuteNonQueryAsync();
        }

        var random = new Random(Seed);
        var sessions = new List<byte[]>();
        var frames = 0;
        while (frames < FrameTarget)
        {
            sessions.Add(Session(random, out var count));
            frames += count;
        }
        Assert.True(frames >= FrameTarget);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var answered = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var (failure, completions) = await RunAsync(server.Port, sessions[i]);
            Interlocked.Add(ref answered, completions);
            if (failure is not null)
                failures.Add($"session {i}: {failure}: {new string(Encoding.ASCII.GetString(sessions[i]).Select(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '(' or ')' or '\'' ? c : '.').ToArray())}");
        });
        Assert.Empty(failures);
        Assert.True(answered > 15_000, $"only {answered} messages were handled: the frames are too broken to reach the server's logic");

        await using var conn = new NpgsqlConnection(server.ConnectionString(prepare: false));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>One connection's bytes: a startup (or garbage) and then frames of one of several flavours.</summary>
    private static byte[] Session(Random random, out int frames)
    {
        var output = new MemoryStream();
        frames = 0;
        var flavour = random.Next(10);
        if (flavour == 0)
        {
            // Random bytes before (or instead of) the startup message.
            var junk = new byte[random.Next(1, 40)];
            random.NextBytes(junk);
            if (junk.Length >= 4 && random.Next(2) == 0) BinaryPrimitives.WriteInt32BigEndian(junk, random.Next(-5, 20000)); // a plausible length
            output.Write(junk);
            frames = 1;
            return output.ToArray();
        }
        output.Write(PgWireClient.StartupMessage());
        frames++;
        var count = random.Next(20, 80);
        for (var n = 0; n < count; n++)
        {
            frames++;
            switch (flavour)
            {
                case 1: // a bad length, then nothing more can be framed
                    output.WriteByte(Types[random.Next(Types.Length)]);
                    var length = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(length, random.Next(3) switch { 0 => random.Next(-10, 4), 1 => int.MaxValue - random.Next(100), _ => 64 * 1024 * 1024 + random.Next(1, 1000) });
                    output.Write(length);
                    return output.ToArray();
                case 2: // random typed messages with random bodies
                    var body = new byte[random.Next(0, 48)];
                    random.NextBytes(body);
                    Frame(output, Types[random.Next(Types.Length)], body);
                    break;
                default: // well-formed messages, some sessions with wild counts and truncated fields
                    Frame(output, out var type, random, wild: flavour >= 6, out var payload);
                    Frame(output, type, payload);
                    break;
            }
        }
        // Clients end with Terminate. (Without it, a statement that waits for changes, such as a FETCH without timeout
        // that a mutation produced, cannot tell a client that pipelined more messages and left from one that waits.)
        Frame(output, (byte)'X', []);
        frames++;
        return output.ToArray();
    }

    private static readonly byte[] Types = "QPBDECSHXdcfpF!"u8.ToArray();

    private static void Frame(MemoryStream output, out byte type, Random random, bool wild, out byte[] payload)
    {
        var body = new Body();
        switch (random.Next(9))
        {
            case 0:
                type = (byte)'Q';
                body.CString(Mutate(random, Statements[random.Next(Statements.Length)]));
                break;
            case 1:
                type = (byte)'P';
                body.CString(Name(random));
                body.CString(Mutate(random, Statements[random.Next(Statements.Length)]));
                var declared = wild && random.Next(8) == 0 ? Wild(random) : random.Next(0, 3);
                body.Int16((short)declared);
                var provided = declared is >= 0 and <= 3 ? declared : random.Next(0, 4); // wild counts come with too few OIDs
                for (var i = 0; i < provided; i++) body.Int32(Oids[random.Next(Oids.Length)]);
                break;
            case 2:
                type = (byte)'B';
                body.CString(Name(random));
                body.CString(Name(random));
                var formats = wild && random.Next(12) == 0 ? Wild(random) : random.Next(0, wild ? 3 : 2);
                body.Int16((short)formats);
                for (var i = 0; i < Math.Min(Math.Abs(formats), 4); i++) body.Int16((short)(wild ? random.Next(-1, 3) : random.Next(0, 2)));
                var values = wild && random.Next(12) == 0 ? Wild(random) : random.Next(0, 3);
                body.Int16((short)values);
                for (var i = 0; i < Math.Min(Math.Abs(values), 4); i++)
                {
                    var size = wild && random.Next(12) == 0 ? Wild(random) * 1000 : random.Next(-1, 8);
                    body.Int32(size);
                    var bytes = new byte[Math.Clamp(size, 0, 8)];
                    random.NextBytes(bytes);
                    if (random.Next(2) == 0)
                    {
                        var digits = Encoding.ASCII.GetBytes(random.Next(-999, 999).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        digits.AsSpan(0, Math.Min(bytes.Length, digits.Length)).CopyTo(bytes);
                    }
                    body.Bytes(bytes);
                }
                var resultFormats = wild && random.Next(12) == 0 ? Wild(random) : random.Next(0, 2);
                body.Int16((short)resultFormats);
                for (var i = 0; i < Math.Min(Math.Abs(resultFormats), 4); i++) body.Int16((short)(wild ? random.Next(-1, 3) : random.Next(0, 2)));
                break;
            case 3:
                type = (byte)'D';
                body.Byte((byte)(wild && random.Next(20) == 0 ? random.Next(256) : random.Next(2) == 0 ? 'S' : 'P'));
                body.CString(Name(random));
                break;
            case 4:
                type = (byte)'E';
                body.CString(Name(random));
                body.Int32(wild && random.Next(3) == 0 ? Wild(random) : random.Next(0, 3));
                break;
            case 5:
                type = (byte)'C';
                body.Byte((byte)(wild && random.Next(20) == 0 ? random.Next(256) : random.Next(2) == 0 ? 'S' : 'P'));
                body.CString(Name(random));
                break;
            case 6:
                type = (byte)'H';
                break;
            default:
                type = (byte)'S';
                break;
        }
        payload = body.ToArray();
        if (wild && random.Next(25) == 0 && payload.Length > 0) payload = payload[..random.Next(payload.Length)]; // truncated fields
    }

    private static int Wild(Random random) => random.Next(6) switch
    {
        0 => -1,
        1 => short.MinValue,
        2 => short.MaxValue,
        3 => random.Next(-3, 5),
        4 => random.Next(100, 5000),
        _ => random.Next(0, 70000) - 2000,
    };

    private static string Name(Random random) => random.Next(4) switch { 0 => "", 1 => "a", 2 => "b", _ => "s" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static string Mutate(Random random, string sql)
    {
        if (sql.Length == 0 || random.Next(3) > 0) return sql;
        var chars = sql.ToCharArray();
        for (var i = random.Next(1, 3); i > 0; i--) chars[random.Next(chars.Length)] = (char)random.Next(1, 128);
        return new string(chars);
    }

    private static void Frame(MemoryStream output, byte type, byte[] body)
    {
        output.WriteByte(type);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, 4 + body.Length);
        output.Write(length);
        output.Write(body);
    }

    /// <summary>Sends the bytes, half-closes, reads everything until the server closes; the failure, or null.</summary>
    private static async Task<(string? Failure, int Completions)> RunAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var reading = ReadAllAsync(stream, received, timeout.Token);
        try
        {
            await stream.WriteAsync(bytes, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // the server closed first (it gave up on an earlier frame)
        }
        if (!await reading) return ("no close within 30 s (a hang)", 0);
        return Inspect(received.ToArray());
    }

    private static async Task<bool> ReadAllAsync(NetworkStream stream, MemoryStream into, CancellationToken timeout)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, timeout);
                if (n == 0) return true;
                into.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true; // a reset: the server closed with our bytes unread
        }
    }

    /// <summary>
    /// The message of an ErrorResponse with SQLSTATE XX000 (an exception that escaped), if the server sent one, and how
    /// many messages the server handled (answers other than a protocol violation).
    /// </summary>
    private static (string? Failure, int Completions) Inspect(byte[] reply)
    {
        var completions = 0;
        var at = 0;
        if (reply.Length > 0 && reply[0] == (byte)'N') at = 1; // answer to an SSLRequest in the junk
        while (at + 5 <= reply.Length)
        {
            var type = reply[at];
            var length = BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(at + 1));
            if (length < 4 || at + 1 + length > reply.Length) break;
            if (type is (byte)'C' or (byte)'I' or (byte)'s' or (byte)'1' or (byte)'2' or (byte)'3' or (byte)'n' or (byte)'t') completions++;
            if (type == (byte)'E')
            {
                var text = Encoding.UTF8.GetString(reply, at + 5, length - 4);
                if (!text.Contains("\0C08P01\0", StringComparison.Ordinal)) completions++; // a statement's own error: the message got through
                if (text.Contains("\0CXX000\0", StringComparison.Ordinal)) return (text.Replace('\0', '|'), completions);
            }
            at += 1 + length;
        }
        return (null, completions);
    }

    private sealed class Body
    {
        private readonly MemoryStream _bytes = new();
        public void Byte(byte value) => _bytes.WriteByte(value);
        public void Bytes(byte[] value) => _bytes.Write(value);
        public void CString(string value) { _bytes.Write(Encoding.UTF8.GetBytes(value)); _bytes.WriteByte(0); }
        public void Int16(short value) { var b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, value); _bytes.Write(b); }
        public void Int32(int value) { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, value); _bytes.Write(b); }
        public byte[] ToArray() => _bytes.ToArray();
    }
}
