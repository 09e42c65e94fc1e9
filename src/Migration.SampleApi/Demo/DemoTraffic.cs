using System.ClientModel;
using System.Diagnostics;
using Migration.Core.Statistics;

namespace Migration.SampleApi.Demo;

/// <summary>
/// Synthetic production traffic sent to the demo's app through its <see cref="IDemoClients"/> (the OpenAI SDK for the
/// gateway, plain questions for the support app): mixed models, some streamed, some embeddings, most with a user id
/// header (the sticky key).
/// </summary>
internal sealed class DemoTraffic
{
    public static readonly string[] ChatModels = ["gpt-4.1", "gpt-4o-mini"];
    public const string EmbeddingModel = "text-embedding-3-small";

    private static readonly string[] Topics =
    [
        "refund policy for annual plans", "reset a forgotten password", "export invoices as CSV", "change the billing email",
        "two-factor authentication", "delete my account", "upgrade to the team plan", "API rate limits", "webhook retries",
        "data retention", "SSO with Okta", "mobile app offline mode", "shipping to Canada", "order status", "gift cards",
    ];

    private static readonly string[] Styles = ["Answer briefly:", "Explain step by step:", "In one paragraph:", "As a friendly support agent:"];

    private readonly IDemoClients _clients;
    private readonly int _users;
    private long _ok;
    private long _failed;
    private long _streamed;
    private long _embeddings;

    public DemoTraffic(IDemoClients clients, int users = 50)
    {
        _clients = clients;
        _users = users;
    }

    public LatencyHistogram Latency { get; } = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    public long Streamed => Interlocked.Read(ref _streamed);

    public long Embeddings => Interlocked.Read(ref _embeddings);

    public long Sent => Ok + Failed;

    /// <summary>Runs <paramref name="concurrency"/> closed-loop clients until <paramref name="until"/> fires.</summary>
    public async Task RunAsync(int concurrency, CancellationToken until)
    {
        var users = Enumerable.Range(0, _users + 1).Select(u => u == _users ? null : $"user-{u:D3}").ToArray();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(w, users, until), CancellationToken.None));
        await Task.WhenAll(workers);
    }

    private async Task WorkerAsync(int worker, string?[] users, CancellationToken until)
    {
        var random = new Random(1000 + worker);
        while (!until.IsCancellationRequested)
        {
            var user = users[random.Next(users.Length)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                var roll = random.NextDouble();
                if (roll < 0.1)
                {
                    await _clients.EmbedAsync(user, $"Knowledge base article about {Topics[random.Next(Topics.Length)]}", until);
                    Interlocked.Increment(ref _embeddings);
                }
                else
                {
                    var streamed = roll < 0.4;
                    var model = ChatModels[random.Next(ChatModels.Length)];

                    // A bounded set of prompts, so the primary's and candidate's answers to the same prompt recur.
                    var prompt = $"{Styles[random.Next(Styles.Length)]} how do I handle {Topics[random.Next(Topics.Length)]}? (ticket {random.Next(40)})";
                    await _clients.ChatAsync(user, model, prompt, streamed, until);
                    if (streamed)
                    {
                        Interlocked.Increment(ref _streamed);
                    }
                }

                Latency.Record(Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref _ok);
            }
            catch (OperationCanceledException) when (until.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
