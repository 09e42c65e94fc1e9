using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Capture;
using Migration.AspNetCore.Configuration;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.OpenAI;
using Polly;
using Polly.Timeout;

namespace Migration.AspNetCore.Candidate;

/// <summary>
/// Calls the candidate over long-lived <see cref="SocketsHttpHandler"/>s (no proxy, no redirects, no decompression,
/// no cookies): one for live (canary, failover) requests with <c>Candidate:ApiKey</c>, and a separate one for mirrored
/// requests with <c>Candidate:ShadowApiKey</c> (else the same key), so shadow load never takes a live request's
/// connection and a provider's per-key rate limit on the shadow key never reaches live traffic. Mirrored calls run
/// under a Polly timeout and are read whole while their first byte, first content and end are timed.
/// </summary>
internal sealed class CandidateClient : IDisposable
{
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private const int ReadSize = 16 * 1024;

    private readonly HttpMessageInvoker _invoker;
    private readonly HttpMessageInvoker _shadowInvoker;
    private readonly ResiliencePipeline _shadowPipeline;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly AuthenticationHeaderValue? _shadowAuthorization;
    private readonly int _maxResponseBytes;

    public CandidateClient(IOptions<MigrationHarnessOptions> options, TimeProvider time)
        : this(options, time, null)
    {
    }

    /// <summary>
    /// With handlers given (tests): <paramref name="handler"/> carries live calls, <paramref name="shadowHandler"/>
    /// mirrored ones (the live handler too when null).
    /// </summary>
    internal CandidateClient(IOptions<MigrationHarnessOptions> options, TimeProvider time, HttpMessageHandler? handler, HttpMessageHandler? shadowHandler = null)
        : this(
            options?.Value.Candidate.BaseUrl!,
            options?.Value.Candidate.ApiKey,
            options?.Value.Candidate.ShadowApiKey is { Length: > 0 } shadowKey ? shadowKey : options?.Value.Candidate.ApiKey,
            options?.Value!,
            time,
            handler,
            shadowHandler)
    {
    }

    private CandidateClient(
        string baseUrl, string? apiKey, string? shadowApiKey, MigrationHarnessOptions options, TimeProvider time, HttpMessageHandler? handler, HttpMessageHandler? shadowHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(baseUrl);
        _time = time;
        _baseUrl = baseUrl.TrimEnd('/');
        _authorization = Bearer(apiKey);
        _shadowAuthorization = Bearer(shadowApiKey);
        _maxResponseBytes = options.Shadow.MaxResponseBytes;
        _invoker = new HttpMessageInvoker(handler ?? CreateHandler(options.Candidate, options.Candidate.MaxConnections), disposeHandler: true);
        _shadowInvoker = shadowHandler is not null
            ? new HttpMessageInvoker(shadowHandler, disposeHandler: true)
            : handler is not null
                ? new HttpMessageInvoker(handler, disposeHandler: false)
                : new HttpMessageInvoker(CreateHandler(options.Candidate, Math.Max(1, options.Shadow.Workers)), disposeHandler: true);
        _shadowPipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(options.Shadow.Timeout)
            .Build();
    }

    /// <summary>
    /// The same client pointed at the primary (<c>Primary:BaseUrl</c> with <c>Primary:ApiKey</c>) for the noise floor's
    /// second calls: mirrored requests are sent and read exactly as the candidate's, so both comparisons see the same
    /// timings and failure classes. Null when the primary's base URL is not configured.
    /// </summary>
    internal static CandidateClient? ForPrimary(MigrationHarnessOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrEmpty(options.Primary.BaseUrl)
            ? null
            : new CandidateClient(options.Primary.BaseUrl, options.Primary.ApiKey, options.Primary.ApiKey, options, time, handler, null);
    }

    /// <summary>A handler of its own (own connection pool) holding at most <paramref name="maxConnections"/> connections.</summary>
    internal static SocketsHttpHandler CreateHandler(CandidateProviderOptions candidate, int maxConnections) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = candidate.ConnectTimeout,
        PooledConnectionLifetime = candidate.PooledConnectionLifetime,
        MaxConnectionsPerServer = maxConnections,
        EnableMultipleHttp2Connections = true,
    };

    /// <summary>The candidate URL of a route: base URL (ending in <c>/v1</c>) + the route without its <c>/v1</c>.</summary>
    internal Uri UriFor(string route)
    {
        var path = route.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) ? route[3..] : route;
        return new Uri(_baseUrl + path, UriKind.Absolute);
    }

    /// <summary>Sends a mirrored request and reads the whole answer. Never throws for candidate failures.</summary>
    public async Task<CandidateResponse> SendShadowAsync(string route, ReadOnlyMemory<byte> body, bool streamed, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var state = new CallState(_time);
        try
        {
            await _shadowPipeline.ExecuteAsync(
                static async (arg, token) => await arg.Client.SendCoreAsync(arg.Route, arg.Body, arg.Streamed, arg.State, token).ConfigureAwait(false),
                (Client: this, Route: route, Body: body, Streamed: streamed, State: state),
                cancellationToken).ConfigureAwait(false);
            return state.ToResponse(this, started, ErrorClass.None, null);
        }
        catch (TimeoutRejectedException)
        {
            return state.ToResponse(this, started, ErrorClass.Timeout, "no complete answer within the shadow timeout");
        }
        catch (HttpRequestException ex) when (state.Status is null)
        {
            return state.ToResponse(this, started, ErrorClass.Connection, "connection failed: " + Describe(ex));
        }
        catch (Exception ex) when (state.Status is not null && !cancellationToken.IsCancellationRequested)
        {
            // The answer broke off while it was being read.
            return state.ToResponse(this, started, ErrorClass.TruncatedStream, "answer cut off: " + ex.GetType().Name);
        }
    }

    /// <summary>
    /// Sends a live (canary or failover) request and returns as soon as the response headers are in; the body is
    /// read by the caller. Throws for transport failures; the caller owns (disposes) the response.
    /// </summary>
    internal async Task<HttpResponseMessage> SendLiveAsync(string route, ReadOnlyMemory<byte> body, bool streamed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, UriFor(route))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(streamed ? "text/event-stream" : "application/json"));

        // HttpMessageInvoker never buffers the content: this returns once the headers are read.
        return await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _shadowInvoker.Dispose();
        _invoker.Dispose();
    }

    private static AuthenticationHeaderValue? Bearer(string? key) => string.IsNullOrEmpty(key) ? null : new AuthenticationHeaderValue("Bearer", key);

    /// <summary>
    /// How long the shadow pauses after a 429: the wait its headers ask for (read by <see cref="RetryAfterHeader"/>,
    /// as the live path reads them: <c>retry-after-ms</c>, <c>Retry-After</c> seconds or date); 1 s when absent or
    /// already past, at most 60 s.
    /// </summary>
    internal static TimeSpan ShadowPause(HttpResponseHeaders headers, DateTimeOffset now) => ShadowPauseFor(RetryAfterHeader.Read(headers, now));

    /// <summary>The shadow's pause for a 429 that asked for <paramref name="wait"/> (already read): 1 s when absent or past, at most 60 s.</summary>
    internal static TimeSpan ShadowPauseFor(TimeSpan? wait)
    {
        if (wait is not { } asked || asked <= TimeSpan.Zero)
        {
            return DefaultRetryAfter;
        }

        return asked > MaxRetryAfter ? MaxRetryAfter : asked;
    }

    internal static string Describe(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError => "could not connect",
        HttpRequestError.ResponseEnded => "the connection closed before a response",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        _ => ex.HttpRequestError.ToString(),
    };

    private async ValueTask SendCoreAsync(string route, ReadOnlyMemory<byte> body, bool streamed, CallState state, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, UriFor(route))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _shadowAuthorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(streamed ? "text/event-stream" : "application/json"));

        using var response = await _shadowInvoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        state.Status = (int)response.StatusCode;
        state.ContentType = response.Content.Headers.ContentType?.ToString();
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            state.RetryAfter = ShadowPause(response.Headers, _time.GetUtcNow());
        }

        state.Body = new CaptureBuffer(_maxResponseBytes, response.Content.Headers.ContentLength);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var chunk = new byte[ReadSize];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                state.Watch.Observe(chunk.AsSpan(0, read));
                state.Body.Append(chunk.AsSpan(0, read));
            }
        }

        state.Ended = _time.GetTimestamp();
    }

    private sealed class CallState(TimeProvider time)
    {
        public FirstContentWatch Watch { get; } = new(time);

        public int? Status { get; set; }

        public string? ContentType { get; set; }

        public CaptureBuffer? Body { get; set; }

        public long? Ended { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public CandidateResponse ToResponse(CandidateClient client, long started, ErrorClass transportError, string? message)
        {
            var ended = Ended ?? client._time.GetTimestamp();
            var error = transportError;
            if (error == ErrorClass.None && Status is { } status)
            {
                error = ErrorClassifier.FromStatus(status);
                message = error == ErrorClass.None ? null : "HTTP " + status;
            }

            if (error == ErrorClass.None && Body is { Overflowed: true })
            {
                error = ErrorClass.Other;
                message = "answer larger than Shadow:MaxResponseBytes";
            }

            return new CandidateResponse
            {
                Status = Status,
                ContentType = ContentType,
                Body = Body,
                Latency = client._time.GetElapsedTime(started, ended),
                Ttft = Watch.FirstContentAt is { } content ? client._time.GetElapsedTime(started, content) : null,
                FirstByte = Watch.FirstByteAt is { } first ? client._time.GetElapsedTime(started, first) : null,
                Error = error,
                ErrorMessage = message,
                RetryAfter = RetryAfter,
            };
        }
    }
}
