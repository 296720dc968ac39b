using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tarn.Server.Hosting;

namespace Tarn.Server.Http;

/// <summary>
/// The <c>--http</c> endpoint on Kestrel: <c>GET /health</c> (liveness), <c>GET /ready</c> (503 while starting or
/// shutting down), <c>GET /metrics</c> (Prometheus) and <c>POST /sql</c> (SQL as JSON, see <see cref="SqlOverHttp"/>).
/// The host's own signal handling is replaced by a no-op lifetime: SIGTERM belongs to the server's graceful shutdown,
/// which keeps this endpoint answering (503 on /ready) until the listeners have drained.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpoint(WebApplication app, IPEndPoint localEndPoint)
    {
        _app = app;
        LocalEndPoint = localEndPoint;
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public static async Task<HttpEndpoint> StartAsync(ServerHost host, IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen => listen.Use(next => async connection =>
            {
                using var open = host.Server.Metrics.Connection(ServerProtocol.Http, connection.RemoteEndPoint);
                await next(connection).ConfigureAwait(false);
            }));
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = host.Server.Options.MaxMessageBytes;
        });
        var app = builder.Build();
        Map(app, host);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new HttpEndpoint(app, new IPEndPoint(endpoint.Address, port));
    }

    private static void Map(WebApplication app, ServerHost host)
    {
        var metrics = host.Server.Metrics;
        app.Use(async (context, next) =>
        {
            metrics.Log.Debug("http_request", ("method", context.Request.Method), ("path", context.Request.Path.Value), ("remote", context.Connection.RemoteIpAddress?.ToString()));
            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/health", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        app.MapGet("/ready", () => host.IsReady
            ? Results.Text("ready\n", "text/plain; charset=utf-8")
            : Results.Text(host.IsShuttingDown ? "shutting down\n" : "starting\n", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            var text = await PrometheusText.RenderAsync(host, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(text, PrometheusText.ContentType);
        });
        app.MapPost("/sql", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var isJson = context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
            var answer = await SqlOverHttp.RunAsync(host.Server.Database, metrics, body, isJson, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(answer.Json, context.RequestAborted).ConfigureAwait(false);
        });
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // requests still open after the timeout are aborted
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Starts and stops with the endpoint; listens to no signal.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
