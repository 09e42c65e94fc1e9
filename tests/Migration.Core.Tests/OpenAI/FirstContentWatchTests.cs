using System.Text;
using Migration.Core.OpenAI;

namespace Migration.Core.Tests.OpenAI;

public class FirstContentWatchTests
{
    private const string Role = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}}]}\n\n";
    private const string Content = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n";
    private const string Done = "data: [DONE]\n\n";

    [Fact]
    public void Observe_RoleChunkThenContentLater_FirstByteAtTheRoleFirstContentAtTheContent()
    {
        var time = new SteppedTime();
        var watch = new FirstContentWatch(time);

        watch.Observe(Bytes(Role));
        time.Now = 5_000;
        watch.Observe(Bytes(Content));
        time.Now = 6_000;
        watch.Observe(Bytes(Content + Done));

        Assert.Equal(0, watch.FirstByteAt);
        Assert.Equal(5_000, watch.FirstContentAt);
    }

    [Theory]
    [InlineData("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}")]
    [InlineData("{\"index\":0,\"delta\":{\"refusal\":\"I can't help with that.\"}}")]
    [InlineData("{\"index\":0,\"delta\":{\"reasoning_content\":\"Let me think\"}}")]
    public void Observe_ToolCallRefusalOrReasoning_CountsAsFirstContent(string choice)
    {
        var time = new SteppedTime();
        var watch = new FirstContentWatch(time);

        watch.Observe(Bytes(Role));
        time.Now = 40;
        watch.Observe(Bytes("data: {\"choices\":[" + choice + "]}\n\n"));

        Assert.Equal(40, watch.FirstContentAt);
    }

    [Fact]
    public void Observe_EventSplitAcrossReads_FirstContentWhenTheEventIsWhole()
    {
        var time = new SteppedTime();
        var watch = new FirstContentWatch(time);
        var bytes = Bytes(Role + Content);
        var cut = Role.Length + 20;

        watch.Observe(bytes.AsSpan(0, cut));
        time.Now = 70;
        Assert.Null(watch.FirstContentAt);
        watch.Observe(bytes.AsSpan(cut));

        Assert.Equal(0, watch.FirstByteAt);
        Assert.Equal(70, watch.FirstContentAt);
    }

    [Fact]
    public void Observe_JsonAnswer_FirstContentIsTheFirstByte()
    {
        var time = new SteppedTime { Now = 12 };
        var watch = new FirstContentWatch(time);

        watch.Observe(Bytes("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","));
        time.Now = 30;
        watch.Observe(Bytes("\"content\":\"Hello\"}}]}"));

        Assert.Equal(12, watch.FirstByteAt);
        Assert.Equal(12, watch.FirstContentAt);
    }

    [Fact]
    public void Observe_StreamWithoutContent_NoFirstContent()
    {
        var time = new SteppedTime();
        var watch = new FirstContentWatch(time);

        watch.Observe(Bytes(Role));
        time.Now = 10;
        watch.Observe(Bytes("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" + Done));
        time.Now = 20;
        watch.Observe(Bytes(Content));

        Assert.Equal(0, watch.FirstByteAt);
        Assert.Null(watch.FirstContentAt);
    }

    [Fact]
    public void Observe_KeepAliveCommentsFirst_DoNotCountAsContent()
    {
        var time = new SteppedTime();
        var watch = new FirstContentWatch(time);

        watch.Observe(Bytes("\n: keep-alive\n\n"));
        time.Now = 90;
        watch.Observe(Bytes(Content));

        Assert.Equal(0, watch.FirstByteAt);
        Assert.Equal(90, watch.FirstContentAt);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A clock whose timestamp is set by the test.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        public long Now { get; set; }

        public override long GetTimestamp() => Now;
    }
}
