using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tarn.Tests.Connectors;

/// <summary>
/// A tiny Confluent Schema Registry for tests (HttpListener on 127.0.0.1): registers schemas under subjects
/// (POST /subjects/{subject}/versions, same schema → same id) and serves them by id (GET /schemas/ids/{id}).
/// </summary>
internal sealed class TestSchemaRegistry : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<int, string> _byId = new();
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _subjects = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public TestSchemaRegistry()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string Url { get; }

    /// <summary>The subjects registered so far and their latest schema.</summary>
    public IReadOnlyDictionary<string, string> Subjects => _subjects;

    /// <summary>Registers a schema directly (as another producer would have); returns its id.</summary>
    public int Register(string subject, string schema)
    {
        var id = _ids.GetOrAdd(schema, _ => _ids.Count + 1);
        _byId[id] = schema;
        _subjects[subject] = schema;
        return id;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            string body;
            var status = 200;
            if (context.Request.HttpMethod == "GET" && path.StartsWith("/schemas/ids/", StringComparison.Ordinal) &&
                int.TryParse(path["/schemas/ids/".Length..], out var id) && _byId.TryGetValue(id, out var schema))
                body = JsonSerializer.Serialize(new { schema });
            else if (context.Request.HttpMethod == "POST" && path.StartsWith("/subjects/", StringComparison.Ordinal) && path.EndsWith("/versions", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                using var doc = JsonDocument.Parse(await reader.ReadToEndAsync());
                var subject = Uri.UnescapeDataString(path["/subjects/".Length..^"/versions".Length]);
                body = JsonSerializer.Serialize(new { id = Register(subject, doc.RootElement.GetProperty("schema").GetString()!) });
            }
            else
            {
                status = 404;
                body = """{"error_code": 40403, "message": "Schema not found"}""";
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/vnd.schemaregistry.v1+json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
