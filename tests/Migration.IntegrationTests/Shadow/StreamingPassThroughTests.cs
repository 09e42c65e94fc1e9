using System.Text;
using Migration.IntegrationTests.Stack;

namespace Migration.IntegrationTests.Shadow;

/// <summary>With the harness on, a streamed answer reaches the client chunk by chunk, not buffered whole.</summary>
public sealed class StreamingPassThroughTests
{
    [Fact]
    public async Task Stream_HarnessOn_FirstEventReachesClientWhilePrimaryIsStillStreaming()
    {
        var primary = MigrationStackOptions.DefaultPrimary();
        primary.ChunkDelayMedianMs = 40;
        primary.ChunkDelayP99Ms = 60;
        primary.TokensPerChunk = 1;
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Primary = primary });
        using var request = new HttpRequestMessage(HttpMethod.Post, OpenAIRequests.ChatRoute)
        {
            Content = new StringContent(OpenAIRequests.ChatStream("Tell me a long story about databases."), Encoding.UTF8, "application/json"),
        };

        using var response = await stack.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body, Encoding.UTF8);
        var first = await reader.ReadLineAsync();

        // The primary still has a dozen 40 ms chunks to send: the harness passed the first one on at once.
        Assert.StartsWith("data: {", first, StringComparison.Ordinal);
        Assert.Equal(1, stack.Primary.Stats.InFlight);
        var rest = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        await stack.WaitForShadowRowsAsync(1, "streamed AND verdict = 'exact'");
    }
}
