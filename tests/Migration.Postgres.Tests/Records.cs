using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.Postgres.Tests;

/// <summary>Record builders and polling for the storage tests.</summary>
internal static class Records
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static ShadowResult Shadow(int i, string model = "gpt-4.1") => new()
    {
        Time = Start.AddMilliseconds(i),
        RequestId = $"req-{i}",
        Route = "/v1/chat/completions",
        PrimaryModel = model,
        CandidateModel = model + "-hs",
        PrimaryStatus = 200,
        CandidateStatus = 200,
        PrimaryLatencyMs = 100 + i,
        CandidateLatencyMs = 90 + i,
        Verdict = Verdict.Exact,
        CandidateErrorClass = ErrorClass.None,
        Instance = "test",
    };

    public static TrafficBucket Bucket(int i, TrafficArm arm = TrafficArm.Primary, string model = "gpt-4.1", long shadowDropped = 0)
    {
        var latency = new LatencyHistogram();
        latency.RecordMicroseconds(1000 * (i + 1));
        return new TrafficBucket
        {
            Second = Start.AddSeconds(i),
            Instance = "test",
            Arm = arm,
            Model = model,
            Requests = 1,
            Successes = 1,
            ShadowDropped = shadowDropped,
            Latency = latency,
            Ttft = new LatencyHistogram(),
        };
    }

    public static CandidateAttempt Attempt(int i, string requestedModel = "gpt-4.1") => new()
    {
        Time = Start.AddMilliseconds(i),
        RequestId = $"req-{i}",
        Route = "/v1/chat/completions",
        Reason = "canary",
        RequestedModel = requestedModel,
        Model = requestedModel + "-hs",
        Attempt = 1,
        Outcome = "served",
        ErrorClass = ErrorClass.None,
        Status = 200,
        LatencyMs = 50 + i,
        CostUsd = 0.000001m * (i + 1),
    };

    /// <summary>Polls (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var cts = new CancellationTokenSource(limit);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Not reached within {limit.TotalSeconds:0} s: {what}");
            }
        }
    }
}
