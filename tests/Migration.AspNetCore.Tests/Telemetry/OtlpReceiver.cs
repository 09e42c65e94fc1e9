using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Telemetry;

/// <summary>
/// A minimal OTLP metrics receiver on a real Kestrel server (127.0.0.1, port 0): every request is recorded with its
/// path, content type, headers and body. OTLP/HTTP (<c>POST /v1/metrics</c>, <c>application/x-protobuf</c>) is
/// answered 200 with an empty <c>ExportMetricsServiceResponse</c>; with <see cref="StartGrpcAsync"/> the server
/// speaks only HTTP/2 without TLS (h2c) and answers the gRPC method
/// <c>/opentelemetry.proto.collector.metrics.v1.MetricsService/Export</c> with an empty message and grpc-status 0.
/// Any other path gets 404, still recorded, so a wrong path shows in the assertion.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    public const string HttpMetricsPath = "/v1/metrics";
    public const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    private readonly KestrelHost _host;

    private OtlpReceiver(KestrelHost host, ConcurrentQueue<OtlpRequest> requests)
    {
        _host = host;
        Requests = requests;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:40123 (no path).</summary>
    public Uri Address => _host.Address;

    public ConcurrentQueue<OtlpRequest> Requests { get; }

    public static Task<OtlpReceiver> StartHttpAsync() => StartAsync(grpc: false);

    public static Task<OtlpReceiver> StartGrpcAsync() => StartAsync(grpc: true);

    /// <summary>Waits (at most <paramref name="limit"/>) until a request matches; null when none did.</summary>
    public async Task<OtlpRequest?> WaitForAsync(Func<OtlpRequest, bool> match, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var found = Requests.FirstOrDefault(match);
            if (found is not null || Stopwatch.GetElapsedTime(started) >= limit)
            {
                return found;
            }

            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static async Task<OtlpReceiver> StartAsync(bool grpc)
    {
        var requests = new ConcurrentQueue<OtlpRequest>();
        var host = await KestrelHost.StartAsync(
            builder =>
            {
                if (grpc)
                {
                    // Plain-text HTTP/2 only: clients must use prior knowledge (h2c), as gRPC over http:// does.
                    builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
                }
            },
            app => app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                var request = new OtlpRequest(
                    context.Request.Method,
                    context.Request.Path.Value ?? "",
                    context.Request.Protocol,
                    context.Request.ContentType,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body.ToArray());
                requests.Enqueue(request);
                await AnswerAsync(context, request, grpc);
            }));
        return new OtlpReceiver(host, requests);
    }

    private static async Task AnswerAsync(HttpContext context, OtlpRequest request, bool grpc)
    {
        var response = context.Response;
        if (grpc && request.Path == GrpcMetricsPath)
        {
            // gRPC framing: compressed flag (0) + 4-byte big-endian length (0) = an empty ExportMetricsServiceResponse.
            response.ContentType = "application/grpc";
            await response.Body.WriteAsync(new byte[5], context.RequestAborted);
            response.AppendTrailer("grpc-status", "0");
        }
        else if (!grpc && request.Method == HttpMethods.Post && request.Path == HttpMetricsPath)
        {
            // An empty ExportMetricsServiceResponse is zero bytes of protobuf.
            response.ContentType = "application/x-protobuf";
            response.ContentLength = 0;
        }
        else
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}

/// <summary>One request the receiver got.</summary>
internal sealed record OtlpRequest(string Method, string Path, string Protocol, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Whether <paramref name="text"/> occurs in the body as UTF-8 (protobuf stores strings as raw UTF-8).</summary>
    public bool BodyContains(string text) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
