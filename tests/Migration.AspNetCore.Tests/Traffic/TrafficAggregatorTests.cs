using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Traffic;
using Migration.Core.Exchange;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Traffic;

public class TrafficAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TrafficAggregator Create(FakeClock time) =>
        new(Options.Create(new MigrationHarnessOptions { InstanceName = "node-a" }), time);

    [Fact]
    public void Collect_CurrentSecondStillOpen_ReturnsOnlyFinishedSeconds()
    {
        var time = new FakeClock(Start);
        var aggregator = Create(time);
        aggregator.RecordRequest(TrafficArm.Primary, "gpt-4.1", ErrorClass.None, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));
        time.Advance(TimeSpan.FromSeconds(1));
        aggregator.RecordRequest(TrafficArm.Primary, "gpt-4.1", ErrorClass.None, TimeSpan.FromMilliseconds(300), null);

        var buckets = aggregator.Collect();

        var bucket = Assert.Single(buckets);
        Assert.Equal(Start, bucket.Second);
        Assert.Equal("node-a", bucket.Instance);
        Assert.Equal(1, bucket.Requests);
        Assert.Equal(1, aggregator.OpenCount);
    }

    [Fact]
    public void Collect_MixedOutcomes_CountsEveryClassPerArmAndModel()
    {
        var time = new FakeClock(Start);
        var aggregator = Create(time);
        var latency = TimeSpan.FromMilliseconds(50);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, latency, latency);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.Timeout, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.RateLimited, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.ServerError, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.ClientError, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.Connection, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.TruncatedStream, latency, null);
        aggregator.RecordShadowSampled("m");
        aggregator.RecordShadowDropped("m");
        aggregator.RecordRequest(TrafficArm.Shadow, "m", ErrorClass.MalformedResponse, latency, null);
        aggregator.RecordRequest(TrafficArm.Primary, "other", ErrorClass.None, latency, null);

        var buckets = aggregator.Collect(includeCurrent: true);

        Assert.Equal(3, buckets.Count);
        var primary = buckets.Single(b => b.Arm == TrafficArm.Primary && b.Model == "m");
        Assert.Equal(7, primary.Requests);
        Assert.Equal(1, primary.Successes);
        Assert.Equal(1, primary.ErrorsTimeout);
        Assert.Equal(1, primary.ErrorsRateLimited);
        Assert.Equal(1, primary.ErrorsServer);
        Assert.Equal(1, primary.ErrorsClient);
        Assert.Equal(1, primary.ErrorsConnection);
        Assert.Equal(1, primary.ErrorsOther);
        Assert.Equal(1, primary.ShadowSampled);
        Assert.Equal(1, primary.ShadowDropped);
        Assert.Equal(7, primary.Latency.Count);
        Assert.Equal(1, primary.Ttft.Count);
        var shadow = buckets.Single(b => b.Arm == TrafficArm.Shadow);
        Assert.Equal(1, shadow.ErrorsOther);
        Assert.Equal(0, aggregator.OpenCount);
    }

    [Fact]
    public void RecordRequest_LatencyHistogram_KeepsPercentiles()
    {
        var time = new FakeClock(Start);
        var aggregator = Create(time);
        for (var ms = 1; ms <= 100; ms++)
        {
            aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, TimeSpan.FromMilliseconds(ms), null);
        }

        var bucket = Assert.Single(aggregator.Collect(includeCurrent: true));

        Assert.Equal(99, bucket.Latency.PercentileMilliseconds(99), 1.0);
        Assert.Equal(50, bucket.Latency.PercentileMilliseconds(50), 1.0);
    }

    [Fact]
    public void RecordRequest_TooManyModels_FoldsTheRestIntoOther()
    {
        var time = new FakeClock(Start);
        var aggregator = Create(time);
        for (var i = 0; i < TrafficAggregator.MaxKeysPerFlush + 50; i++)
        {
            aggregator.RecordRequest(TrafficArm.Primary, "model-" + i, ErrorClass.None, TimeSpan.FromMilliseconds(1), null);
        }

        var buckets = aggregator.Collect(includeCurrent: true);

        Assert.Equal(TrafficAggregator.MaxKeysPerFlush + 1, buckets.Count);
        Assert.Equal(50, buckets.Single(b => b.Model == TrafficAggregator.OtherModel).Requests);
    }

    [Fact]
    public async Task RecordRequest_ConcurrentWithCollect_LosesNoCount()
    {
        var time = new FakeClock(Start);
        var aggregator = Create(time);
        const int PerWriter = 20_000;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, TimeSpan.FromMilliseconds(1), null);
            }
        })).ToArray();
        long collected = 0;
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                collected += aggregator.Collect(includeCurrent: true).Sum(b => b.Requests);
            }
        });

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await collector.WaitAsync(TimeSpan.FromSeconds(30));
        collected += aggregator.Collect(includeCurrent: true).Sum(b => b.Requests);

        Assert.Equal(2 * PerWriter, collected);
    }
}
