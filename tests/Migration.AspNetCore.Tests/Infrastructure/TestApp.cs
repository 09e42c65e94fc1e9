using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Configuration;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The "existing API": a real Kestrel app whose chat route answers like a provider would, with the harness in
/// front, pointed at a <see cref="FakeCandidate"/>, a recording sink and a fake clock.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string ChatRequest = """{"model":"gpt-4.1","messages":[{"role":"user","content":"Say hello"}]}""";
    public const string ChatAnswer = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""";

    private TestApp(KestrelHost host, RecordingSink sink, FakeReportQueries queries, FakeClock time)
    {
        Host = host;
        Sink = sink;
        Queries = queries;
        Time = time;
    }

    public KestrelHost Host { get; }

    public RecordingSink Sink { get; }

    public FakeReportQueries Queries { get; }

    public FakeClock Time { get; }

    /// <summary>What the app's chat route does; by default it writes <see cref="ChatAnswer"/>.</summary>
    public Func<HttpContext, Task> Handler { get; set; } = WriteChatAnswerAsync;

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public static Task WriteChatAnswerAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(ChatAnswer);
    }

    public static async Task<TestApp> StartAsync(string candidateBaseUrl, Action<MigrationHarnessOptions>? configure = null)
    {
        var sink = new RecordingSink();
        var queries = new FakeReportQueries();
        var time = new FakeClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        TestApp? created = null;
        var host = await KestrelHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddSingleton<IRecordSink>(sink);
                builder.Services.AddSingleton<IReportQueries>(queries);
                builder.Services.AddMigrationHarness(TestOptions.Valid(candidateBaseUrl, configure));
            },
            app =>
            {
                app.UseMigrationHarness();
                app.MapMigrationEndpoints();
                app.MapPost("/v1/chat/completions", (HttpContext ctx) => created!.Handler(ctx));
                app.MapPost("/v1/other", () => Results.Ok());
            });
        created = new TestApp(host, sink, queries, time);
        return created;
    }

    public HttpClient CreateClient() => Host.CreateClient();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
