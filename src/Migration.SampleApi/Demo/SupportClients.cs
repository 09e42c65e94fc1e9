using Migration.SampleApi.Support;

namespace Migration.SampleApi.Demo;

/// <summary>
/// Clients of the support app: plain JSON questions to <c>/api/support/answer</c> and <c>/api/support/similar</c>
/// with the user's id in <c>X-User-Id</c>; the app builds the provider request itself. A non-2xx answer or a
/// broken stream throws (a failed client request).
/// </summary>
internal sealed class SupportClients(Uri root) : IDemoClients
{
    private readonly HttpClient _http = new() { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };

    public async Task ChatAsync(string? user, string model, string question, bool streamed, CancellationToken cancellationToken)
    {
        var tier = model == SupportAssistant.FastModel ? "fast" : "best";
        await SendAsync("/api/support/answer", user, new SupportQuestion(question, streamed, tier), cancellationToken);
    }

    public Task EmbedAsync(string? user, string text, CancellationToken cancellationToken) =>
        SendAsync("/api/support/similar", user, new SupportQuestion(text), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(string path, string? user, SupportQuestion question, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(question) };
        if (user is not null)
        {
            request.Headers.Add("X-User-Id", user);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0)
        {
            throw new InvalidOperationException($"{path} answered an empty body.");
        }
    }
}
