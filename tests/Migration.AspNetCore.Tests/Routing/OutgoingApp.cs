using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.Simulator;
using OpenAI;

namespace Migration.AspNetCore.Tests.Routing;

/// <summary>
/// An app that is not a gateway, on loopback: a generic host with the harness and a named provider
/// <see cref="HttpClient"/> ("openai") carrying <c>AddMigrationHandler()</c> (after the app's own
/// <c>AddStandardResilienceHandler()</c> when asked), a primary and a candidate simulator, and a recording sink.
/// Clients are the official OpenAI SDK on that HttpClient and Microsoft.Extensions.AI's <see cref="IChatClient"/> on the SDK.
/// </summary>
internal sealed class OutgoingApp : IAsyncDisposable
{
    public const string ClientName = "openai";

    private readonly IHost _host;

    private OutgoingApp(IHost host, SimulatorHost primary, SimulatorHost candidate)
    {
        _host = host;
        Primary = primary;
        Candidate = candidate;
    }

    public SimulatorHost Primary { get; }

    public SimulatorHost Candidate { get; }

    public RecordingSink Sink => (RecordingSink)Get<IRecordSink>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Traffic buckets collected so far (the aggregator hands each second out once).</summary>
    public List<TrafficBucket> Collected { get; } = [];

    /// <param name="configure">Harness options on top of the defaults (shadow on at 100 %, model map gpt-4.1 → cand-4.1).</param>
    /// <param name="resilience">Adds the app's <c>AddStandardResilienceHandler()</c> before the harness (fast retries).</param>
    /// <param name="innerHandler">A handler between the harness and the network (the primary's side only), e.g. a flaky primary.</param>
    /// <param name="services">Services registered before the harness (they win over its defaults), e.g. a recording health reporter.</param>
    public static async Task<OutgoingApp> StartAsync(
        Action<MigrationHarnessOptions>? configure = null,
        bool resilience = false,
        Func<DelegatingHandler>? innerHandler = null,
        Action<IServiceCollection>? services = null)
    {
        var primary = await SimulatorHost.StartAsync(new SimulatorOptions { Name = "openai", ApiKey = TestOptions.PrimaryKey, Seed = 7, KeepChatRequests = 100 });
        var candidateOptions = new SimulatorOptions { Name = "holysheep", ApiKey = TestOptions.CandidateKey, Seed = 11, KeepChatRequests = 100 };
        candidateOptions.Models.Add("cand-4.1");
        var candidate = await SimulatorHost.StartAsync(candidateOptions);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IRecordSink>(new RecordingSink());
        builder.Services.AddSingleton<IReportQueries>(new FakeReportQueries());
        services?.Invoke(builder.Services);
        builder.Services.AddMigrationHarness(TestOptions.Valid(candidate.Url + "/v1", o =>
        {
            o.Primary.BaseUrl = primary.Url + "/v1";
            o.Shadow.SampleRate = 1.0;
            o.Shadow.NoiseFloorRate = 0;
            o.Candidate.ModelMap["gpt-4.1"] = "cand-4.1";
            configure?.Invoke(o);
        }));
        var http = builder.Services.AddHttpClient(ClientName);
        if (resilience)
        {
            http.AddStandardResilienceHandler(o =>
            {
                o.Retry.Delay = TimeSpan.FromMilliseconds(1);
                o.Retry.UseJitter = false;
                o.Retry.BackoffType = Polly.DelayBackoffType.Constant;
            });
        }

        http.AddMigrationHandler();
        if (innerHandler is not null)
        {
            http.AddHttpMessageHandler(innerHandler);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new OutgoingApp(host, primary, candidate);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The app's provider HttpClient (from the factory, with the harness handler).</summary>
    public HttpClient CreateHttpClient() => Get<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>The official OpenAI SDK on the app's HttpClient (its own retries off: the app's resilience handler retries).</summary>
    public OpenAIClient CreateOpenAIClient() => new(new ApiKeyCredential(TestOptions.PrimaryKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(Primary.Url + "/v1"),
        Transport = new HttpClientPipelineTransport(CreateHttpClient()),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    /// <summary>Microsoft.Extensions.AI's OpenAI chat client built on the SDK above.</summary>
    public IChatClient CreateChatClient(string model = "gpt-4.1") => CreateOpenAIClient().GetChatClient(model).AsIChatClient();

    /// <summary>Routes <paramref name="weight"/> percent to the candidate (as a NOTIFY would install it).</summary>
    public void SetWeight(double weight)
    {
        var state = new CanaryStoreState
        {
            Migration = ICanaryStateStore.DefaultMigration,
            State = CanaryState.Initial with
            {
                Phase = weight > 0 ? CanaryPhase.Ramping : CanaryPhase.Shadow,
                Weight = weight,
                StepIndex = 0,
                StepStartedAt = TimeProvider.System.GetUtcNow(),
                Version = 1,
            },
        };
        Assert.True(Get<CanaryStateCache>().Update(state, TimeProvider.System.GetUtcNow()));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Candidate.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
