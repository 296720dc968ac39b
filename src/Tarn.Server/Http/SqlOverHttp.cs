using System.Text.Json;
using Tarn.Server.Hosting;
using Tarn.Server.PgWire;
using Tarn.Sql;

namespace Tarn.Server.Http;

/// <summary>
/// <c>POST /sql</c>: the body is SQL text, or JSON <c>{"sql": "...", "params": [...]}</c> with positional parameters
/// ($1, ? ...). Each request runs in a session of its own; a script runs statement by statement and answers with the
/// last statement's result: <c>{"columns":[{"name","type"}],"rows":[[...]],"rowCount":n}</c>. An error answers 400 with
/// <c>{"error":{"code":SQLSTATE,"message":...,"position":n}}</c> (position: 1-based character offset, as PostgreSQL).
/// </summary>
internal static class SqlOverHttp
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Answer(int Status, byte[] Json);

    public static async Task<Answer> RunAsync(TarnDatabase database, ServerMetrics metrics, string body, bool isJson, CancellationToken cancellation)
    {
        string sql;
        object?[] parameters;
        try
        {
            (sql, parameters) = isJson || body.TrimStart().StartsWith('{') ? ParseJson(body) : (body, []);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return Error(SqlStates.SyntaxError, "the body must be SQL text or JSON {\"sql\": \"...\", \"params\": [...]}: " + e.Message, null);
        }
        if (metrics.IsDraining) return ShuttingDown();
        ServerMetrics.RequestScope inFlight;
        try
        {
            inFlight = metrics.BeginRequest();
        }
        catch (OperationCanceledException)
        {
            return ShuttingDown();
        }
        using var request = inFlight;
        using var session = database.CreateSession();
        try
        {
            var segments = SqlScript.Split(sql);
            if (segments.Count == 0) return Error(SqlStates.SyntaxError, "no statement to run", null);
            TarnResult? last = null;
            foreach (var segment in segments)
            {
                var offset = PgStatementText.OffsetOf(sql, segment.Position);
                try
                {
                    var text = segment.Text;
                    last = await metrics.MeasureAsync(ServerProtocol.Http, text,
                        () => session.ExecuteAsync(text, new TarnParameters(parameters, null), cancellation)).ConfigureAwait(false);
                }
                catch (TarnException e)
                {
                    return Error(e.SqlState, e.Message, e.Position is { } p ? offset + PgStatementText.OffsetOf(segment.Text, p) + 1 : null);
                }
            }
            return new Answer(200, Result(last!));
        }
        catch (TarnException e)
        {
            return Error(e.SqlState, e.Message, e.Position is { } p ? PgStatementText.OffsetOf(sql, p) + 1 : null);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return Error(SqlStates.InternalError, e.Message, null);
        }
    }

    private static (string Sql, object?[] Parameters) ParseJson(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sql", out var sqlElement) || sqlElement.ValueKind != JsonValueKind.String)
            throw new FormatException("\"sql\" (a string) is missing");
        if (!root.TryGetProperty("params", out var list) || list.ValueKind == JsonValueKind.Null) return (sqlElement.GetString()!, []);
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException("\"params\" must be an array");
        var parameters = new object?[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray()) parameters[i++] = Value(item);
        return (sqlElement.GetString()!, parameters);
    }

    private static object? Value(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => item.GetString(),
        JsonValueKind.Number when item.TryGetInt64(out var l) => l,
        JsonValueKind.Number when item.TryGetDecimal(out var m) && item.GetRawText().IndexOfAny(['e', 'E']) < 0 => m,
        JsonValueKind.Number => item.GetDouble(),
        _ => throw new FormatException("a parameter must be null, a boolean, a number or a string"),
    };

    private static byte[] Result(TarnResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("columns");
            foreach (var column in result.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", column.Name);
                w.WriteString("type", column.Type.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var batch in result.Batches)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    w.WriteStartArray();
                    for (var c = 0; c < result.Columns.Count; c++) Json.JsonValueWriter.Write(w, batch.Columns[c].GetValue(r));
                    w.WriteEndArray();
                }
            }
            w.WriteEndArray();
            w.WriteNumber("rowCount", result.HasRows ? result.RowCount : Math.Max(0, result.RowsAffected));
            if (result.Message is { } message) w.WriteString("message", message);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>503 with PostgreSQL's admin_shutdown code: the statement did not run.</summary>
    private static Answer ShuttingDown() => Error("57P01", "the server is shutting down", null) with { Status = 503 };

    private static Answer Error(string code, string message, int? position)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (position is { } p) w.WriteNumber("position", p);
            else w.WriteNull("position");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return new Answer(400, buffer.ToArray());
    }
}
