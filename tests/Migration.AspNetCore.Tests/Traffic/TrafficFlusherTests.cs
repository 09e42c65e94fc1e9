using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.AspNetCore.Traffic;
using Migration.Core.Exchange;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Traffic;

public class TrafficFlusherTests
{
    [Fact]
    public async Task ExecuteAsync_EverySecond_HandsFinishedSecondsToTheSink()
    {
        var time = new FakeClock();
        var aggregator = new TrafficAggregator(Options.Create(new MigrationHarnessOptions()), time);
        var sink = new RecordingSink();
        using var flusher = new TrafficFlusher(aggregator, sink, time, NullLogger<TrafficFlusher>.Instance);
        await flusher.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync();

        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, TimeSpan.FromMilliseconds(5), null);
        Assert.Empty(sink.Buckets);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync("!sink.Buckets.IsEmpty", () => !sink.Buckets.IsEmpty);

        var bucket = Assert.Single(sink.Buckets);
        Assert.Equal(1, bucket.Requests);

        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, TimeSpan.FromMilliseconds(5), null);
        await flusher.StopAsync(CancellationToken.None);
        Assert.Equal(2, sink.Buckets.Count);
    }

    [Fact]
    public void Flush_SinkRefuses_DoesNotThrowAndEmptiesTheAggregator()
    {
        var time = new FakeClock();
        var aggregator = new TrafficAggregator(Options.Create(new MigrationHarnessOptions()), time);
        var sink = new RecordingSink { Refuse = true };
        using var flusher = new TrafficFlusher(aggregator, sink, time, NullLogger<TrafficFlusher>.Instance);
        aggregator.RecordRequest(TrafficArm.Primary, "m", ErrorClass.None, TimeSpan.FromMilliseconds(5), null);

        var flushed = flusher.Flush(includeCurrent: true);

        Assert.Equal(1, flushed);
        Assert.Equal(0, aggregator.OpenCount);
    }
}
