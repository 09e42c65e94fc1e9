using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Migration.AspNetCore.Capture;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Capture;

public class ResponseTeeTests
{
    private static IHttpResponseBodyFeature Feature(out RecordingFeature recording)
    {
        recording = new RecordingFeature();
        return recording;
    }

    [Fact]
    public async Task Writer_SeveralAdvancesAfterOneGetMemory_CopiesEveryByteInOrder()
    {
        var inner = Feature(out var recording);
        using var copy = new CaptureBuffer(1024);
        var tee = new ResponseTee(inner, copy, new FakeClock());
        IHttpResponseBodyFeature feature = tee;

        var memory = feature.Writer.GetMemory(16);
        "abc"u8.CopyTo(memory.Span);
        "def"u8.CopyTo(memory.Span[3..]);
        feature.Writer.Advance(3);
        feature.Writer.Advance(3);
        await feature.Writer.FlushAsync();
        await feature.Writer.WriteAsync("ghi"u8.ToArray());

        Assert.Equal("abcdefghi", Encoding.ASCII.GetString(copy.Memory.Span));
        Assert.Equal("abcdefghi", recording.Written);
        Assert.Equal(9, tee.BytesWritten);
    }

    [Fact]
    public async Task Copy_OverTheCap_StopsCopyingButPassesEverythingOn()
    {
        var inner = Feature(out var recording);
        using var copy = new CaptureBuffer(4);
        IHttpResponseBodyFeature tee = new ResponseTee(inner, copy, new FakeClock());

        await tee.Stream.WriteAsync("0123456789"u8.ToArray());

        Assert.True(copy.Overflowed);
        Assert.Equal("0123456789", recording.Written);
    }

    [Fact]
    public async Task StartSendFileCompleteAndDisableBuffering_PassThroughAndMarkTheCopyIncomplete()
    {
        var inner = Feature(out var recording);
        using var copy = new CaptureBuffer(1024);
        var time = new FakeClock();
        var tee = new ResponseTee(inner, copy, time);
        IHttpResponseBodyFeature feature = tee;

        feature.DisableBuffering();
        await feature.StartAsync();
        time.Advance(TimeSpan.FromMilliseconds(7));
        await feature.SendFileAsync("/tmp/file", 0, 10);
        await feature.CompleteAsync();

        Assert.Equal(["DisableBuffering", "StartAsync", "SendFileAsync", "CompleteAsync"], recording.Calls);
        Assert.True(copy.Overflowed);
        Assert.Equal(time.GetTimestamp(), tee.FirstByteTimestamp);
        Assert.Equal(time.GetTimestamp(), tee.FirstContentTimestamp);
    }

    [Fact]
    public async Task Observe_RoleChunkThenContent_FirstByteAndFirstContentApart()
    {
        var inner = Feature(out _);
        var time = new FakeClock();
        var tee = new ResponseTee(inner, null, time);
        IHttpResponseBodyFeature feature = tee;

        await feature.Stream.WriteAsync(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"));
        var roleAt = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(250));
        await feature.Writer.WriteAsync(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n"));

        Assert.Equal(roleAt, tee.FirstByteTimestamp);
        Assert.Equal(time.GetTimestamp(), tee.FirstContentTimestamp);
    }

    private sealed class RecordingFeature : IHttpResponseBodyFeature
    {
        private readonly MemoryStream _body = new();

        public RecordingFeature() => Writer = PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

        public List<string> Calls { get; } = [];

        public string Written => Encoding.ASCII.GetString(_body.ToArray());

        public Stream Stream => _body;

        public PipeWriter Writer { get; }

        public Task CompleteAsync()
        {
            Calls.Add(nameof(CompleteAsync));
            return Task.CompletedTask;
        }

        public void DisableBuffering() => Calls.Add(nameof(DisableBuffering));

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        {
            Calls.Add(nameof(SendFileAsync));
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            Calls.Add(nameof(StartAsync));
            return Task.CompletedTask;
        }
    }
}
