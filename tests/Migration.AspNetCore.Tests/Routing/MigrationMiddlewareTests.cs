using Migration.TestKit;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Tests.Canary;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.AspNetCore.Traffic;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Tests.Routing;

public class MigrationMiddlewareTests
{
    private const string ChatRequest = """{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}""";
    private const string ChatAnswer = """{"id":"1","object":"chat.completion","model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

    private static MigrationMiddleware Create(HarnessServices services, RequestDelegate next) =>
        ActivatorUtilities.CreateInstance<MigrationMiddleware>(services.Provider, next);

    /// <summary>The middleware on a pipeline whose passive health signals go to <paramref name="reporter"/>.</summary>
    private static MigrationMiddleware Create(HarnessServices services, RequestDelegate next, IProviderHealthReporter reporter) =>
        ActivatorUtilities.CreateInstance<MigrationMiddleware>(services.Provider, next, ActivatorUtilities.CreateInstance<ExchangePipeline>(services.Provider, reporter));

    private static DefaultHttpContext Context(string path, string body, string method = "POST")
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req-1" };
        context.Request.Method = method;
        context.Request.Path = path;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<string> ReadAllAsync(Stream body)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    private static string ResponseText(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("POST", "/v1/models")]
    [InlineData("POST", "/health")]
    public async Task InvokeAsync_UnobservedRequest_GoesStraightToNext(string method, string path)
    {
        using var services = new HarnessServices();
        var context = Context(path, ChatRequest, method);
        var originalBody = context.Request.Body;
        var originalFeature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>();
        var nextTask = Task.CompletedTask;
        var sawOriginal = false;
        var middleware = Create(services, ctx =>
        {
            sawOriginal = ReferenceEquals(ctx.Request.Body, originalBody)
                && ReferenceEquals(ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(), originalFeature);
            return nextTask;
        });

        var task = middleware.InvokeAsync(context);

        Assert.Same(nextTask, task);
        Assert.True(sawOriginal);
        Assert.Equal(0, services.Get<TrafficAggregator>().OpenCount);
    }

    [Fact]
    public async Task InvokeAsync_ObservedRoute_HandsTheAppTheSameBodyAndContentLength()
    {
        using var services = new HarnessServices();
        var context = Context("/v1/chat/completions", ChatRequest);
        string? seen = null;
        long? length = null;
        var middleware = Create(services, async ctx =>
        {
            length = ctx.Request.ContentLength;
            seen = await ReadAllAsync(ctx.Request.Body);
        });

        await middleware.InvokeAsync(context);

        Assert.Equal(ChatRequest, seen);
        Assert.Equal(Encoding.UTF8.GetByteCount(ChatRequest), length);
    }

    [Fact]
    public async Task InvokeAsync_BodyOverCap_AppReadsEveryByteAndExchangeIsNotQueued()
    {
        using var services = new HarnessServices(o => o.Shadow.MaxBodyBytes = 64);
        var big = """{"model":"gpt-4.1","messages":[{"role":"user","content":" """ + new string('x', 5000) + "\"}]}";
        var context = Context("/v1/chat/completions", big);
        context.Request.ContentLength = null; // chunked: the cap is found while reading
        string? seen = null;
        var middleware = Create(services, async ctx =>
        {
            seen = await ReadAllAsync(ctx.Request.Body);
            await ctx.Response.WriteAsync(ChatAnswer);
        });

        await middleware.InvokeAsync(context);

        Assert.Equal(big, seen);
        Assert.Equal(0, services.Get<ShadowQueue>().Count);
        Assert.Equal(1, services.Get<HarnessMetrics>().Counts.SkippedTooLarge);
    }

    [Fact]
    public async Task InvokeAsync_DeclaredLengthOverCap_BodyIsLeftUntouched()
    {
        using var services = new HarnessServices(o => o.Shadow.MaxBodyBytes = 16);
        var context = Context("/v1/chat/completions", ChatRequest);
        var original = context.Request.Body;
        Stream? seenStream = null;
        var middleware = Create(services, ctx =>
        {
            seenStream = ctx.Request.Body;
            return Task.CompletedTask;
        });

        await middleware.InvokeAsync(context);

        Assert.Same(original, seenStream);
        Assert.Equal(0, original.Position);
    }

    [Fact]
    public async Task InvokeAsync_StreamAndPipeWrites_ReachTheClientByteIdentical()
    {
        using var services = new HarnessServices();
        var context = Context("/v1/chat/completions", ChatRequest);
        var part1 = Encoding.UTF8.GetBytes("{\"id\":\"1\",");
        var middleware = Create(services, async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(part1);
            var rest = Encoding.UTF8.GetBytes(ChatAnswer[part1.Length..]);
            var span = ctx.Response.BodyWriter.GetSpan(rest.Length);
            rest.CopyTo(span);
            ctx.Response.BodyWriter.Advance(rest.Length);
            await ctx.Response.BodyWriter.FlushAsync();
        });

        await middleware.InvokeAsync(context);

        Assert.Equal(ChatAnswer, ResponseText(context));
        Assert.True(services.Get<ShadowQueue>().Reader.TryRead(out var exchange));
        using (exchange)
        {
            Assert.Equal(ChatAnswer, Encoding.UTF8.GetString(exchange.PrimaryBody.Memory.Span));
            Assert.Equal(ChatRequest, Encoding.UTF8.GetString(exchange.RequestBody.Memory.Span));
            Assert.Equal("gpt-4.1", exchange.Model);
            Assert.Equal(200, exchange.PrimaryStatus);
        }
    }

    [Fact]
    public async Task InvokeAsync_StreamedAnswer_EachFlushedChunkReachesTheClientBeforeTheAppFinishes()
    {
        using var services = new HarnessServices();
        var context = Context("/v1/chat/completions", ChatRequest);
        var inner = (MemoryStream)context.Response.Body;
        var firstWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var middleware = Create(services, async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hel\"}}]}\n\n");
            await ctx.Response.Body.FlushAsync();
            firstWritten.SetResult();
            await finish.Task;
            await ctx.Response.WriteAsync("data: [DONE]\n\n");
        });

        var running = middleware.InvokeAsync(context);
        await firstWritten.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(running.IsCompleted);
        Assert.StartsWith("data: {\"choices\"", Encoding.UTF8.GetString(inner.ToArray()), StringComparison.Ordinal);

        finish.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.EndsWith("data: [DONE]\n\n", Encoding.UTF8.GetString(inner.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_FakeClock_MeasuresLatencyAndTimeToFirstByte()
    {
        using var services = new HarnessServices();
        var time = services.Time;
        var context = Context("/v1/chat/completions", ChatRequest);
        var middleware = Create(services, async ctx =>
        {
            time.Advance(TimeSpan.FromMilliseconds(120));
            await ctx.Response.WriteAsync("{");
            time.Advance(TimeSpan.FromMilliseconds(380));
            await ctx.Response.WriteAsync(ChatAnswer[1..]);
        });

        await middleware.InvokeAsync(context);

        Assert.True(services.Get<ShadowQueue>().Reader.TryRead(out var exchange));
        using (exchange)
        {
            Assert.Equal(120, exchange.PrimaryTtft!.Value.TotalMilliseconds, 0.01);
            Assert.Equal(500, exchange.PrimaryLatency.TotalMilliseconds, 0.01);
        }
    }

    [Fact]
    public async Task InvokeAsync_StreamWithAnEarlyRoleChunk_TtftIsTheFirstContentFirstByteItsOwnFigure()
    {
        using var services = new HarnessServices();
        var time = services.Time;
        var context = Context("/v1/chat/completions", """{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var middleware = Create(services, async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            time.Advance(TimeSpan.FromMilliseconds(15));
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}}]}\n\n");
            time.Advance(TimeSpan.FromMilliseconds(400));
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}]}\n\n");
            time.Advance(TimeSpan.FromMilliseconds(85));
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });

        await middleware.InvokeAsync(context);

        Assert.True(services.Get<ShadowQueue>().Reader.TryRead(out var exchange));
        using (exchange)
        {
            Assert.Equal(15, exchange.PrimaryFirstByte!.Value.TotalMilliseconds, 0.01);
            Assert.Equal(415, exchange.PrimaryTtft!.Value.TotalMilliseconds, 0.01);
            Assert.Equal(500, exchange.PrimaryLatency.TotalMilliseconds, 0.01);
        }
    }

    [Fact]
    public async Task InvokeAsync_HarnessFault_ProductionResponseIsUnaffected()
    {
        var broken = new BrokenClock();
        using var services = new HarnessServices(time: broken);
        var context = Context("/v1/chat/completions", ChatRequest);
        string? seen = null;
        var middleware = Create(services, async ctx =>
        {
            seen = await ReadAllAsync(ctx.Request.Body);
            ctx.Response.StatusCode = 200;
            await ctx.Response.WriteAsync(ChatAnswer);
        });

        await middleware.InvokeAsync(context);

        Assert.Equal(ChatRequest, seen);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(ChatAnswer, ResponseText(context));
        Assert.True(broken.Calls > 0);
    }

    [Fact]
    public async Task InvokeAsync_AppThrows_ExceptionPropagatesUnchangedAndIsCountedAsServerError()
    {
        using var services = new HarnessServices();
        var context = Context("/v1/chat/completions", ChatRequest);
        var boom = new InvalidOperationException("app failure");
        var middleware = Create(services, _ => throw boom);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(context));

        Assert.Same(boom, thrown);
        services.Time.Advance(TimeSpan.FromSeconds(1));
        var bucket = Assert.Single(services.Get<TrafficAggregator>().Collect());
        Assert.Equal(1, bucket.ErrorsServer);
        Assert.Equal(0, services.Get<ShadowQueue>().Count);
    }

    [Fact]
    public async Task InvokeAsync_QueueFull_DropsAndCountsWithoutWaiting()
    {
        using var services = new HarnessServices(o => o.Shadow.QueueCapacity = 1);
        using var listener = new MetricRecorder<long>(services.Get<IMeterFactory>(), HarnessMetrics.MeterName, "migration.shadow.dropped");
        var middleware = Create(services, ctx => ctx.Response.WriteAsync(ChatAnswer));

        for (var i = 0; i < 3; i++)
        {
            await middleware.InvokeAsync(Context("/v1/chat/completions", ChatRequest));
        }

        Assert.Equal(1, services.Get<ShadowQueue>().Count);
        Assert.Equal(2, services.Get<HarnessMetrics>().Counts.DroppedQueueFull);
        Assert.Equal(2, listener.Measurements.Where(m => Equals(m.Tags["reason"], ShadowDropReason.QueueFull)).Sum(m => m.Value));
        services.Time.Advance(TimeSpan.FromSeconds(1));
        var bucket = Assert.Single(services.Get<TrafficAggregator>().Collect());
        Assert.Equal(TrafficArm.Primary, bucket.Arm);
        Assert.Equal(3, bucket.Requests);
        Assert.Equal(3, bucket.ShadowSampled);
        Assert.Equal(2, bucket.ShadowDropped);
    }

    [Fact]
    public async Task InvokeAsync_ShadowDisabledAtRunTime_RecordsTrafficButQueuesNothing()
    {
        using var services = new HarnessServices();
        services.Get<ShadowControl>().SetLocal(enabled: false, sampleRate: 1);
        var middleware = Create(services, ctx => ctx.Response.WriteAsync(ChatAnswer));

        await middleware.InvokeAsync(Context("/v1/chat/completions", ChatRequest));

        Assert.Equal(0, services.Get<ShadowQueue>().Count);
        services.Time.Advance(TimeSpan.FromSeconds(1));
        var bucket = Assert.Single(services.Get<TrafficAggregator>().Collect());
        Assert.Equal(1, bucket.Successes);
        Assert.Equal(0, bucket.ShadowSampled);
    }

    [Fact]
    public async Task InvokeAsync_CandidatePaused_DropsAsPaused()
    {
        using var services = new HarnessServices();
        services.Get<ShadowControl>().PauseUntil(services.Time.GetUtcNow().AddSeconds(5));
        var middleware = Create(services, ctx => ctx.Response.WriteAsync(ChatAnswer));

        await middleware.InvokeAsync(Context("/v1/chat/completions", ChatRequest));

        Assert.Equal(0, services.Get<ShadowQueue>().Count);
        Assert.Equal(1, services.Get<HarnessMetrics>().Counts.DroppedPaused);
    }

    [Fact]
    public async Task InvokeAsync_OverKestrel_StreamedChunkReachesTheClientWhileTheAppStillWrites()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var candidate = await FakeCandidate.StartAsync();
        await using var app = await TestApp.StartAsync(candidate.BaseUrlV1.ToString());
        app.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            await ctx.Response.Body.FlushAsync();
            await gate.Task;
            await ctx.Response.WriteAsync("data: [DONE]\n\n");
        };
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        var first = new StringBuilder();
        while (!first.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, read);
            first.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.False(gate.Task.IsCompleted);
        Assert.StartsWith("data: {", first.ToString(), StringComparison.Ordinal);
        gate.SetResult();
        using var reader = new StreamReader(stream);
        Assert.Equal("data: [DONE]\n\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task InvokeAsync_AppsOwnStatusesAndExceptions_NotReportedAsThePrimarysHealth()
    {
        using var services = new HarnessServices(o => o.Primary.BaseUrl = "http://127.0.0.1:9/v1");
        var reporter = new RecordingHealthReporter();
        var statuses = new Queue<int>([200, 503, 429, 500]);
        var middleware = Create(services, ctx =>
        {
            ctx.Response.StatusCode = statuses.Dequeue();
            return ctx.Response.WriteAsync(ChatAnswer);
        }, reporter);
        var throwing = Create(services, _ => throw new InvalidOperationException("app"), reporter);

        for (var i = 0; i < 4; i++)
        {
            await middleware.InvokeAsync(Context("/v1/chat/completions", ChatRequest));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => throwing.InvokeAsync(Context("/v1/chat/completions", ChatRequest)));

        // The app answered (or failed) without calling the provider: nothing is known about the provider.
        Assert.Empty(reporter.Reports);
    }

    [Fact]
    public async Task InvokeAsync_AppCallsTheProvider_TheProvidersStatusIsReportedNotTheAppsAnswer()
    {
        await using var provider = await FakeCandidate.StartAsync();
        var reporter = new RecordingHealthReporter();
        await using var app = await CanaryApp.StartAsync(reporter: reporter, primaryProvider: provider);
        var statuses = new Queue<int>([200, 503, 429, 400]);
        provider.Handler = ctx =>
        {
            ctx.Response.StatusCode = statuses.Dequeue();
            return ctx.Response.WriteAsync(CanaryApp.PrimaryAnswer);
        };
        using var client = app.CreateClient();
        using var other = new HttpClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await CandidateForwarderTests.PostChatAsync(client);
        }

        // A call to the provider outside an observed exchange is not a signal either.
        provider.Handler = ctx => ctx.Response.WriteAsync("{}");
        using (await other.GetAsync(new Uri(provider.BaseUrlV1 + "/models")))
        {
        }

        Assert.Equal(
            [ErrorClass.None, ErrorClass.ServerError, ErrorClass.RateLimited, ErrorClass.ClientError],
            reporter.Reports.Where(r => r.Provider == ProviderRole.Primary).Select(r => r.Outcome).ToArray());
    }

    [Fact]
    public async Task InvokeAsync_ProviderOutageWhileProbesAreFarApart_FailsOverOnTheErrorRateOfTheProvidersCalls()
    {
        await using var provider = await FakeCandidate.StartAsync();
        await using var app = await CanaryApp.StartAsync(health: h =>
        {
            h.Interval = TimeSpan.FromHours(1);
            h.MinSamples = 10;
            h.Failover.Cooldown = TimeSpan.FromSeconds(30);
        }, primaryProvider: provider);
        var monitor = app.Get<ProviderHealthMonitor>();
        await Eventually.UntilAsync("both providers healthy", () => monitor.Candidate.Status == ProviderStatus.Healthy && monitor.Primary.Status == ProviderStatus.Healthy);
        using var client = app.CreateClient();

        // The app's own failures (here: a 500 answered without calling the provider) never count.
        app.Handler500 = true;
        for (var i = 0; i < 12; i++)
        {
            using var failed = await CandidateForwarderTests.PostChatAsync(client);
        }

        Assert.Equal(ProviderStatus.Healthy, monitor.Primary.Status);
        app.Handler500 = false;
        provider.Handler = ctx =>
        {
            ctx.Response.StatusCode = 503;
            return ctx.Response.WriteAsync("""{"error":{"message":"down"}}""");
        };
        var calls = 0;
        while (!monitor.RouteToCandidate && calls < 30)
        {
            using var failed = await CandidateForwarderTests.PostChatAsync(client);
            calls++;
        }

        Assert.True(monitor.RouteToCandidate);
        Assert.InRange(calls, 9, 11);
        using var moved = await CandidateForwarderTests.PostChatAsync(client);
        Assert.Equal(CanaryApp.CandidateAnswer, await moved.Content.ReadAsStringAsync());
    }

    /// <summary>A clock whose wall time fails: every use of it by the harness is a harness fault.</summary>
    private sealed class BrokenClock : TimeProvider
    {
        public int Calls { get; private set; }

        public override DateTimeOffset GetUtcNow()
        {
            Calls++;
            throw new InvalidOperationException("clock broken");
        }
    }
}
