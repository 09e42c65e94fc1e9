using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Migration.Simulator.Tests.Content;
using Migration.TestKit;
using OpenAI.Chat;

namespace Migration.Simulator.Tests.Protocol;

/// <summary>Model-like answers (answer styles, JSON mode) and the early role chunk, end to end.</summary>
public partial class ChatCompletionsHandlerTests
{
    private const string StepsPrompt = "Explain step by step: how do I handle reset a forgotten password? (ticket 7)";

    [Fact]
    public async Task Chat_ResponseFormatJsonObject_SdkReceivesValidJson()
    {
        await using var host = await SimulatorHost.StartAsync(Options(AnswerStyle.Paraphrase));

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync(
            [new UserChatMessage(StepsPrompt)],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        using var document = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal("Password reset", document.RootElement.GetProperty("topic").GetString());
        Assert.True(document.RootElement.GetProperty("key_points").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Chat_ResponseFormatJsonSchema_AnswerFollowsTheSchema()
    {
        await using var host = await SimulatorHost.StartAsync(Options(AnswerStyle.Sampling));
        const string schema = """
            {"type":"object","properties":{"title":{"type":"string"},"steps":{"type":"array","items":{"type":"string"}},"minutes":{"type":"integer"}},"required":["title","steps","minutes"],"additionalProperties":false}
            """;

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync(
            [new UserChatMessage(StepsPrompt)],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(schema), jsonSchemaIsStrict: true) });

        using var document = JsonDocument.Parse(completion.Content[0].Text);
        var root = document.RootElement;
        Assert.Equal(["minutes", "steps", "title"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(4, root.GetProperty("steps").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("minutes").ValueKind);
    }

    [Theory]
    [InlineData("""{"type":"xml"}""", "response_format.type", "invalid_value")]
    [InlineData("""{"type":"json_schema"}""", "response_format.json_schema", "missing_required_parameter")]
    [InlineData("""{"kind":"json_object"}""", "response_format.type", "missing_required_parameter")]
    public async Task Chat_InvalidResponseFormat_Returns400NamingTheParameter(string format, string param, string code)
    {
        await using var host = await SimulatorHost.StartAsync(Options(AnswerStyle.Verbatim));
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", extra: ",\"response_format\":" + format));

        Assert.Equal(400, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatStreaming_Verbatim_StreamAssemblesTheTextOfTheJsonAnswer()
    {
        await using var host = await SimulatorHost.StartAsync(Options(AnswerStyle.Verbatim));
        var chat = SimulatorClients.Chat(host);
        var streamed = new StringBuilder();

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(StepsPrompt)]);
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(StepsPrompt)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal(completion.Content[0].Text, streamed.ToString());
        Assert.Contains("\n1. ", streamed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ParaphraseCandidateOfVerbatimPrimary_OtherWordsSameNumbersDegradedCounted()
    {
        await using var primary = await SimulatorHost.StartAsync(Options(AnswerStyle.Verbatim));
        var candidateOptions = Options(AnswerStyle.Paraphrase);
        candidateOptions.Name = "holysheep";
        await using var candidate = await SimulatorHost.StartAsync(candidateOptions);
        using var a = SimulatorClients.Http(primary);
        using var b = SimulatorClients.Http(candidate);

        for (var i = 0; i < 40; i++)
        {
            var prompt = $"As a friendly support agent: how do I handle shipping to Canada? (ticket {i})";
            var left = await a.ChatTextAsync(prompt);
            var right = await b.ChatTextAsync(prompt);
            Assert.NotEqual(left, right);
            Assert.Equal(AnswerText.Numbers(left), AnswerText.Numbers(right));
        }

        candidate.Answers = new AnswerSettings { Style = AnswerStyle.Paraphrase, DegradedRate = 1 };
        var degraded = await b.ChatTextAsync("As a friendly support agent: how do I handle shipping to Canada? (ticket 0)");

        Assert.NotEqual(AnswerText.Numbers(await a.ChatTextAsync("As a friendly support agent: how do I handle shipping to Canada? (ticket 0)")), AnswerText.Numbers(degraded));
        Assert.Equal(1, candidate.Stats.DegradedAnswers);
        Assert.Equal(0, primary.Stats.DegradedAnswers);
    }

    [Fact]
    public async Task ChatStreaming_EarlyRoleChunk_HeadersAndRoleChunkAtOnceContentAfterTheTtft()
    {
        var time = new FakeClock();
        var options = Options(AnswerStyle.Verbatim);
        options.EarlyRoleChunk = true;
        options.TtftMedianMs = options.TtftP99Ms = 5_000;
        await using var host = await SimulatorHost.StartAsync(options, time, CancellationToken.None);
        using var http = SimulatorClients.Http(host);

        using var response = await SendStreamAsync(http).WaitAsync(TimeSpan.FromSeconds(10));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var role = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(string.Empty, await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        var next = reader.ReadLineAsync();
        await time.WaitForTimersAsync(1, TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(4_999));
        var earlyContent = next.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var content = await next.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, (int)response.StatusCode);
        using (var chunk = JsonDocument.Parse(role!["data: ".Length..]))
        {
            var delta = chunk.RootElement.GetProperty("choices")[0].GetProperty("delta");
            Assert.Equal("assistant", delta.GetProperty("role").GetString());
            Assert.Equal(string.Empty, delta.GetProperty("content").GetString());
        }

        Assert.False(earlyContent, "content came before the time to first token");
        using (var chunk = JsonDocument.Parse(content!["data: ".Length..]))
        {
            Assert.NotEmpty(chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()!);
        }
    }

    [Fact]
    public async Task ChatStreaming_WithoutEarlyRoleChunk_HeadersWaitForTheTtft()
    {
        var time = new FakeClock();
        var options = Options(AnswerStyle.Verbatim);
        options.TtftMedianMs = options.TtftP99Ms = 5_000;
        await using var host = await SimulatorHost.StartAsync(options, time, CancellationToken.None);
        using var http = SimulatorClients.Http(host);

        var pending = SendStreamAsync(http);
        await time.WaitForTimersAsync(1, TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(4_999));
        var early = pending.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(early, "headers came before the time to first token");
        Assert.Equal(200, (int)response.StatusCode);
    }

    private static SimulatorOptions Options(AnswerStyle style)
    {
        var options = SimulatorClients.FastOptions();
        options.AnswerStyle = style;
        return options;
    }

    private static Task<HttpResponseMessage> SendStreamAsync(HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(SimulatorClients.ChatBody(StepsPrompt, extra: ",\"stream\":true"), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
