using System.Text;
using Migration.Core.OpenAI;
using static Migration.Core.Tests.OpenAI.ChatFixtures;

namespace Migration.Core.Tests.OpenAI;

public class SseAssemblerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Feed_ChunksOfAnySize_SameAnswerAsWhole(int chunkSize)
    {
        var bytes = Bytes(ToolSse.Replace("\n", "\r\n", StringComparison.Ordinal));
        var assembler = new SseAssembler();

        for (var i = 0; i < bytes.Length; i += chunkSize)
        {
            assembler.Feed(bytes.AsSpan(i, Math.Min(chunkSize, bytes.Length - i)));
        }

        var answer = assembler.ToAnswer(200);
        Assert.True(answer.IsSuccess, answer.Error);
        Assert.Equal(
            [new ToolCallAnswer("get_weather", """{"city":"Paris","unit":"c"}"""), new ToolCallAnswer("get_time", """{"tz":"Europe/Paris"}""")],
            answer.Choices[0].ToolCalls);
        Assert.Equal(new TokenUsage(50, 30), answer.Usage);
    }

    [Fact]
    public void Feed_CrOnlyLineEndingsSplitBetweenChunks_Parsed()
    {
        var bytes = Bytes(Sse.Replace("\n", "\r", StringComparison.Ordinal));
        var assembler = new SseAssembler();

        foreach (var b in bytes)
        {
            assembler.Feed([b]);
        }

        var answer = assembler.ToAnswer(200);
        Assert.True(answer.IsSuccess, answer.Error);
        Assert.Equal("Hello there! How can I help?", answer.Choices[0].Content);
    }

    [Fact]
    public void Feed_FirstContentChunk_ReturnsTrueOnce()
    {
        var events = Sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var assembler = new SseAssembler();
        var results = new List<bool>();

        foreach (var e in events)
        {
            results.Add(assembler.Feed(Bytes(e + "\n\n")));
        }

        // Event 0 is the role chunk with empty content; event 1 carries the first token.
        Assert.Equal([false, true, false, false, false, false], results);
        Assert.True(assembler.HasFirstContent);
    }

    [Fact]
    public void Feed_CommentsAndEventFields_Ignored()
    {
        const string Body = ": keep-alive\n\nid: 1\nevent: message\nretry: 100\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        var assembler = new SseAssembler();

        assembler.Feed(Encoding.UTF8.GetBytes(Body));

        var answer = assembler.ToAnswer(200);
        Assert.True(answer.IsSuccess, answer.Error);
        Assert.Equal("ok", answer.Choices[0].Content);
    }

    [Fact]
    public void ToAnswer_LastDoneWithoutLineBreak_Complete()
    {
        var assembler = new SseAssembler();
        assembler.Feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]"u8);

        Assert.True(assembler.ToAnswer(200).Complete);
    }

    [Fact]
    public void Feed_DataLinesWithoutBlankSeparators_EachLineIsAPayload()
    {
        var assembler = new SseAssembler();
        assembler.Feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\ndata: [DONE]\n"u8);

        var answer = assembler.ToAnswer(200);

        Assert.True(answer.IsSuccess, answer.Error);
        Assert.Equal("ab", answer.Choices[0].Content);
    }

    [Fact]
    public void Feed_TwoChoices_AssembledPerIndex()
    {
        const string Body =
            "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B1\"}},{\"index\":0,\"delta\":{\"content\":\"A1\"}}]}\n\n" +
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A2\"},\"finish_reason\":\"stop\"}]}\n\n" +
            "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B2\"},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n";
        var assembler = new SseAssembler();
        assembler.Feed(Encoding.UTF8.GetBytes(Body));

        var answer = assembler.ToAnswer(200);

        Assert.Equal(2, answer.Choices.Count);
        Assert.Equal((0, "A1A2", "stop"), (answer.Choices[0].Index, answer.Choices[0].Content, answer.Choices[0].FinishReason));
        Assert.Equal((1, "B1B2", "length"), (answer.Choices[1].Index, answer.Choices[1].Content, answer.Choices[1].FinishReason));
    }

    [Fact]
    public void ToAnswer_NoDone_TruncatedAndDoneFalse()
    {
        var assembler = new SseAssembler();
        assembler.Feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"part\"}}]}\n\n"u8);

        var answer = assembler.ToAnswer(200);

        Assert.False(assembler.Done);
        Assert.False(answer.Complete);
        Assert.StartsWith(ProviderAnswerReader.TruncatedPrefix, answer.Error, StringComparison.Ordinal);
    }
}
