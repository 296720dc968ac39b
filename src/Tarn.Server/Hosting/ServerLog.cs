using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tarn.Server.Hosting;

/// <summary>How <see cref="ServerLog"/> writes an event: logfmt (<c>key=value</c>, the default) or one JSON object per line.</summary>
public enum LogFormat
{
    Logfmt,
    Json,
}

/// <summary>Severity of a log event; events below <see cref="ServerLog.MinimumLevel"/> are dropped.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>
/// The server's structured log: one line per event (ts, level, event, then the event's fields) on one writer, normally
/// stderr. Small on purpose: a server writes a few events per connection, so a lock around one line is cheap, and a
/// whole line written at once keeps lines from interleaving.
/// </summary>
public sealed class ServerLog
{
    private readonly TextWriter? _writer;
    private readonly object _gate = new();

    public ServerLog(TextWriter? writer, LogFormat format = LogFormat.Logfmt, LogLevel minimumLevel = LogLevel.Info)
    {
        _writer = writer;
        Format = format;
        MinimumLevel = minimumLevel;
    }

    /// <summary>A log that writes nothing (listeners built without a server, tests).</summary>
    public static ServerLog Null { get; } = new(null);

    public LogFormat Format { get; }

    public LogLevel MinimumLevel { get; }

    public bool IsEnabled(LogLevel level) => _writer is not null && level >= MinimumLevel;

    public void Debug(string name, params (string Key, object? Value)[] fields) => Write(LogLevel.Debug, name, fields);

    public void Info(string name, params (string Key, object? Value)[] fields) => Write(LogLevel.Info, name, fields);

    public void Warn(string name, params (string Key, object? Value)[] fields) => Write(LogLevel.Warn, name, fields);

    public void Error(string name, params (string Key, object? Value)[] fields) => Write(LogLevel.Error, name, fields);

    public void Write(LogLevel level, string name, params (string Key, object? Value)[] fields)
    {
        if (!IsEnabled(level)) return;
        var line = Format == LogFormat.Json ? JsonLine(DateTimeOffset.UtcNow, level, name, fields) : LogfmtLine(DateTimeOffset.UtcNow, level, name, fields);
        lock (_gate)
        {
            try
            {
                _writer!.Write(line);
                _writer.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // stderr closed: logging must never take the server down
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "debug",
        LogLevel.Info => "info",
        LogLevel.Warn => "warn",
        _ => "error",
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static string LogfmtLine(DateTimeOffset at, LogLevel level, string name, (string Key, object? Value)[] fields)
    {
        var line = new StringBuilder(96);
        line.Append("ts=").Append(Timestamp(at)).Append(" level=").Append(LevelName(level)).Append(" event=");
        AppendLogfmtValue(line, name);
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=');
            AppendLogfmtValue(line, Text(value));
        }
        return line.Append('\n').ToString();
    }

    /// <summary>Bare when the value has no space, quote or '='; otherwise quoted with \" \\ \n escapes.</summary>
    private static void AppendLogfmtValue(StringBuilder line, string value)
    {
        var bare = value.Length > 0;
        foreach (var c in value)
            if (c <= ' ' || c is '"' or '=' or '\\') { bare = false; break; }
        if (bare)
        {
            line.Append(value);
            return;
        }
        line.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': line.Append("\\\""); break;
                case '\\': line.Append("\\\\"); break;
                case '\n': line.Append("\\n"); break;
                case '\r': line.Append("\\r"); break;
                case '\t': line.Append("\\t"); break;
                default: line.Append(c); break;
            }
        }
        line.Append('"');
    }

    internal static string JsonLine(DateTimeOffset at, LogLevel level, string name, (string Key, object? Value)[] fields)
    {
        using var buffer = new MemoryStream(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", Timestamp(at));
            json.WriteString("level", LevelName(level));
            json.WriteString("event", name);
            foreach (var (key, value) in fields)
            {
                switch (value)
                {
                    case null: json.WriteNull(key); break;
                    case bool b: json.WriteBoolean(key, b); break;
                    case int i: json.WriteNumber(key, i); break;
                    case long l: json.WriteNumber(key, l); break;
                    case double d when double.IsFinite(d): json.WriteNumber(key, d); break;
                    default: json.WriteString(key, Text(value)); break;
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        TimeSpan t => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
