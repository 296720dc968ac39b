using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tarn.Connectors.Formats;

/// <summary>
/// The few calls of Confluent's Schema Registry REST API the avro-confluent format needs: a schema by id (to read a
/// record's writer schema) and registering a subject's schema (to write records). Answers are cached per registry for
/// the process's lifetime (a schema id never changes meaning). Calls are synchronous; they only happen on a cache miss.
/// </summary>
internal sealed class AvroSchemaRegistry
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly ConcurrentDictionary<string, AvroSchemaRegistry> Registries = new(StringComparer.Ordinal);
    private const string MediaType = "application/vnd.schemaregistry.v1+json";

    private readonly string _url;
    private readonly ConcurrentDictionary<int, string> _schemas = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _ids = new();

    private AvroSchemaRegistry(string url) => _url = url.TrimEnd('/');

    /// <summary>The (shared) client of the registry at <paramref name="url"/>; a comma-separated list uses its first entry.</summary>
    public static AvroSchemaRegistry At(string url)
    {
        var first = url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return Registries.GetOrAdd(first, u => new AvroSchemaRegistry(u));
    }

    /// <summary>The schema (JSON) registered under <paramref name="id"/>.</summary>
    public string SchemaById(int id)
    {
        if (_schemas.TryGetValue(id, out var schema)) return schema;
        using var doc = Call(HttpMethod.Get, $"/schemas/ids/{id}", null);
        schema = doc.RootElement.GetProperty("schema").GetString()!;
        _schemas[id] = schema;
        return schema;
    }

    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (or finds it registered) and returns its id.</summary>
    public int Register(string subject, string schema)
    {
        if (_ids.TryGetValue((subject, schema), out var id)) return id;
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["schema"] = schema });
        using var doc = Call(HttpMethod.Post, $"/subjects/{Uri.EscapeDataString(subject)}/versions", body);
        id = doc.RootElement.GetProperty("id").GetInt32();
        _ids[(subject, schema)] = id;
        _schemas.TryAdd(id, schema);
        return id;
    }

    private JsonDocument Call(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, _url + path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, MediaType);
        try
        {
            using var response = Http.Send(request);
            using var stream = response.Content.ReadAsStream();
            var doc = JsonDocument.Parse(stream);
            if (response.IsSuccessStatusCode) return doc;
            var message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : doc.RootElement.GetRawText();
            doc.Dispose();
            throw new TarnException(SqlStates.IoError, $"schema registry {_url}: {method} {path} answered {(int)response.StatusCode}: {message}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            throw new TarnException(SqlStates.IoError, $"schema registry {_url}: {method} {path} failed: {e.Message}");
        }
    }
}
