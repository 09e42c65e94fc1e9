using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Migration.SampleApi.Upstream;

/// <summary>
/// The app's own provider call, the way a typical AI gateway is written: forward the OpenAI-shaped request to the
/// provider with an HttpClient and stream the answer back as it arrives. Nothing here knows about the harness.
/// </summary>
internal sealed partial class UpstreamForwarder
{
    private static readonly HashSet<string> CopiedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Retry-After", "x-request-id", "openai-processing-ms", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
    };

    private readonly HttpClient _http;
    private readonly UpstreamOptions _options;
    private readonly ILogger<UpstreamForwarder> _logger;

    public UpstreamForwarder(HttpClient http, IOptions<UpstreamOptions> options, ILogger<UpstreamForwarder> logger)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
    }

    public async Task ForwardAsync(HttpContext context, string relativePath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUrl.TrimEnd('/') + "/" + relativePath));
        request.Content = new StreamContent(context.Request.Body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            Log.UpstreamFailed(_logger, relativePath, ex.GetType().Name);
            var timeout = ex is TaskCanceledException;
            await WriteErrorAsync(context, timeout ? HttpStatusCode.GatewayTimeout : HttpStatusCode.BadGateway, timeout ? "upstream timed out" : "upstream unreachable");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers)
            {
                if (CopiedResponseHeaders.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            var contentType = response.Content.Headers.ContentType?.ToString();
            if (contentType is not null)
            {
                context.Response.ContentType = contentType;
            }

            var streaming = contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
            if (streaming)
            {
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                context.Response.Headers.CacheControl = "no-cache";
            }

            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    if (streaming)
                    {
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
            {
                // The provider broke the stream after we started answering: all we can do is end the response badly.
                Log.UpstreamStreamBroken(_logger, relativePath, ex.GetType().Name);
                context.Abort();
            }
        }
    }

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type = "upstream_error", code = (string?)null } });
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Upstream call to {Path} failed: {Error}", EventName = "UpstreamFailed")]
        public static partial void UpstreamFailed(ILogger logger, string path, string error);

        [LoggerMessage(2, LogLevel.Warning, "Upstream stream for {Path} broke mid-answer: {Error}", EventName = "UpstreamStreamBroken")]
        public static partial void UpstreamStreamBroken(ILogger logger, string path, string error);
    }
}
