using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.AspNetCore.Traffic;
using Migration.Core.Canary;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Canary;

/// <summary>
/// The "existing API" (its chat route answers as the primary would, marked <c>X-Primary: yes</c>) with the harness
/// in front, a fake candidate, a fake clock and the canary weight set directly in the flag cache (no database:
/// the store itself is tested against PostgreSQL in the integration tests).
/// </summary>
internal sealed class CanaryApp : IAsyncDisposable
{
    public const string PrimaryAnswer = """{"id":"chatcmpl-p","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"from the primary"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""";
    public const string CandidateAnswer = """{"id":"chatcmpl-c","object":"chat.completion","created":1,"model":"cand-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"from the candidate"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""";
    public const string ChatRequest = """{"model":"gpt-4.1","messages":[{"role":"user","content":"Say hello"}]}""";

    private CanaryApp(KestrelHost host, FakeCandidate candidate, FakeClock time)
    {
        Host = host;
        Candidate = candidate;
        Time = time;
    }

    public KestrelHost Host { get; }

    public FakeCandidate Candidate { get; }

    public FakeClock Time { get; }

    public int PrimaryCalls => _primaryCalls;

    /// <summary>The status the primary handler answers with (200 by default).</summary>
    public int PrimaryStatus
    {
        get => Volatile.Read(ref _primaryStatus);
        set => Volatile.Write(ref _primaryStatus, value);
    }

    private int _primaryStatus = 200;

    /// <summary>When true the app's chat route answers 500 by itself, without calling any provider.</summary>
    public bool Handler500 { get; set; }

    private int _primaryCalls;

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public static async Task<CanaryApp> StartAsync(
        Action<MigrationHarnessOptions>? configure = null,
        IFailoverState? failover = null,
        FakeCandidate? candidate = null,
        Action<Migration.AspNetCore.Health.HealthOptions>? health = null,
        IProviderHealthReporter? reporter = null,
        FakeCandidate? primaryProvider = null)
    {
        candidate ??= await FakeCandidate.StartAsync();
        candidate.Handler = static ctx =>
        {
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(CandidateAnswer);
        };
        var time = new FakeClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        CanaryApp? created = null;
        var host = await KestrelHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddSingleton<IRecordSink>(new RecordingSink());
                builder.Services.AddSingleton<IReportQueries>(new FakeReportQueries());
                if (failover is not null)
                {
                    builder.Services.AddSingleton(failover);
                }

                if (reporter is not null)
                {
                    builder.Services.AddSingleton(reporter);
                }

                builder.Services.AddHttpClient("primary");
                builder.Services.AddMigrationHarness(TestOptions.Valid(candidate.BaseUrlV1.ToString(), o =>
                {
                    o.Shadow.Enabled = false;
                    if (primaryProvider is not null)
                    {
                        o.Primary.BaseUrl = primaryProvider.BaseUrlV1.ToString();
                    }

                    o.Candidate.ModelMap["gpt-4.1"] = "cand-4.1";
                    configure?.Invoke(o);
                }));
                if (health is not null)
                {
                    builder.Services.AddMigrationHealth(health);
                }
            },
            app =>
            {
                app.UseMigrationHarness();
                app.MapMigrationEndpoints();
                app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
                {
                    Interlocked.Increment(ref created!._primaryCalls);
                    using var reader = new StreamReader(ctx.Request.Body);
                    var body = await reader.ReadToEndAsync();
                    ctx.Response.Headers["X-Primary"] = "yes";
                    ctx.Response.Headers["X-Primary-Saw"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    ctx.Response.ContentType = "application/json";
                    if (created!.Handler500)
                    {
                        ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
                        await ctx.Response.WriteAsync("""{"error":{"message":"the app failed"}}""");
                        return;
                    }

                    if (primaryProvider is not null)
                    {
                        await ForwardAsync(ctx, primaryProvider, body);
                        return;
                    }

                    var status = created!.PrimaryStatus;
                    if (status != StatusCodes.Status200OK)
                    {
                        ctx.Response.StatusCode = status;
                        await ctx.Response.WriteAsync("""{"error":{"message":"primary failed"}}""");
                        return;
                    }

                    await ctx.Response.WriteAsync(PrimaryAnswer);
                });
            });
        created = new CanaryApp(host, candidate, time);
        return created;
    }

    /// <summary>
    /// The gateway's own provider call (when a primary provider is given): an <see cref="IHttpClientFactory"/> client
    /// to it, its status and body copied, 502 when it cannot be reached.
    /// </summary>
    private static async Task ForwardAsync(HttpContext ctx, FakeCandidate provider, string body)
    {
        var http = ctx.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient("primary");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(provider.BaseUrlV1 + "/chat/completions"), content, ctx.RequestAborted);
        }
        catch (HttpRequestException)
        {
            ctx.Response.StatusCode = StatusCodes.Status502BadGateway;
            await ctx.Response.WriteAsync("""{"error":{"message":"upstream unreachable"}}""");
            return;
        }

        using (response)
        {
            ctx.Response.StatusCode = (int)response.StatusCode;
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                ctx.Response.Headers.RetryAfter = retryAfter.ToString();
            }

            await ctx.Response.WriteAsync(await response.Content.ReadAsStringAsync(ctx.RequestAborted));
        }
    }

    /// <summary>Routes <paramref name="weight"/> percent to the candidate (as a NOTIFY would install it).</summary>
    public void SetWeight(double weight, long version = 1)
    {
        var state = new CanaryStoreState
        {
            Migration = ICanaryStateStore.DefaultMigration,
            State = CanaryState.Initial with
            {
                Phase = weight > 0 ? CanaryPhase.Ramping : CanaryPhase.Shadow,
                Weight = weight,
                StepIndex = 0,
                StepStartedAt = Time.GetUtcNow(),
                Version = version,
            },
        };
        Assert.True(Get<CanaryStateCache>().Update(state, Time.GetUtcNow()));
    }

    public HttpClient CreateClient() => Host.CreateClient();

    /// <summary>Canary-arm buckets recorded so far (the aggregator's open seconds included).</summary>
    public (long Requests, long Successes, long Fallbacks, long Truncated) CanaryCounts() => ArmCounts(TrafficArm.Canary);

    /// <summary>Requests, successes, fallbacks and other errors counted in <paramref name="arm"/>'s traffic buckets so far.</summary>
    public (long Requests, long Successes, long Fallbacks, long Truncated) ArmCounts(TrafficArm arm)
    {
        var all = ArmBuckets(arm);
        return (all.Sum(b => b.Requests), all.Sum(b => b.Successes), all.Sum(b => b.Fallbacks), all.Sum(b => b.ErrorsOther));
    }

    /// <summary><paramref name="arm"/>'s traffic buckets recorded so far (the aggregator's open seconds included).</summary>
    public IReadOnlyList<TrafficBucket> ArmBuckets(TrafficArm arm)
    {
        _collected.AddRange(Get<TrafficAggregator>().Collect(includeCurrent: true));
        return _collected.Where(b => b.Arm == arm).ToList();
    }

    private readonly List<TrafficBucket> _collected = [];

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Candidate.DisposeAsync();
    }
}
