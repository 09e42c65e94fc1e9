using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Migration.SampleApi.Upstream;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Migration.SampleApi.Support;

/// <summary>
/// The support app's own logic: the prompt is built here (the company's system message, the tier's model, a length
/// limit) and sent with the official OpenAI SDK over the app's provider <see cref="HttpClient"/>. Nothing here knows
/// about the harness.
/// </summary>
internal sealed partial class SupportAssistant
{
    /// <summary>The system message every answer is written under (the client never sends it).</summary>
    public const string SystemPrompt = "You are the support assistant of Acme Cloud. Answer the customer's question briefly and exactly; never invent prices.";

    public const string BestModel = "gpt-4.1";
    public const string FastModel = "gpt-4o-mini";
    public const string EmbeddingModel = "text-embedding-3-small";

    private readonly OpenAIClient _client;
    private readonly ILogger<SupportAssistant> _logger;

    public SupportAssistant(IHttpClientFactory factory, IOptions<UpstreamOptions> options, ILogger<SupportAssistant> logger)
    {
        var upstream = options.Value;
        _logger = logger;
        _client = new OpenAIClient(new ApiKeyCredential(upstream.ApiKey ?? "unset"), new OpenAIClientOptions
        {
            Endpoint = new Uri(upstream.BaseUrl),
            Transport = new HttpClientPipelineTransport(factory.CreateClient(SupportApiApp.ProviderClient)),
            NetworkTimeout = upstream.Timeout,

            // The provider client's resilience handler retries (each SDK retry would be a new request).
            RetryPolicy = new ClientRetryPolicy(0),
        });
    }

    public async Task<IResult> AnswerAsync(SupportQuestion question, HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(question.Question))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A question is required.");
        }

        var model = string.Equals(question.Tier, "fast", StringComparison.OrdinalIgnoreCase) ? FastModel : BestModel;
        var chat = _client.GetChatClient(model);
        ChatMessage[] messages = [new SystemChatMessage(SystemPrompt), new UserChatMessage(question.Question.Trim())];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 200 };
        try
        {
            if (!question.Stream)
            {
                ChatCompletion completion = await chat.CompleteChatAsync(messages, options, context.RequestAborted);
                return Results.Ok(new SupportAnswer(string.Concat(completion.Content.Select(p => p.Text)), completion.Model));
            }

            await StreamAsync(chat, messages, options, context);
            return Results.Empty;
        }
        catch (ClientResultException ex)
        {
            Log.ProviderFailed(_logger, ex.Status);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The assistant is unavailable.");
        }
    }

    public async Task<IResult> EmbedAsync(SupportQuestion question, HttpContext context)
    {
        try
        {
            OpenAIEmbedding embedding = await _client.GetEmbeddingClient(EmbeddingModel).GenerateEmbeddingAsync(
                question.Question, new EmbeddingGenerationOptions { Dimensions = 8 }, context.RequestAborted);
            return Results.Ok(new { dimensions = embedding.ToFloats().Length });
        }
        catch (ClientResultException ex)
        {
            Log.ProviderFailed(_logger, ex.Status);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Search is unavailable.");
        }
    }

    private async Task StreamAsync(ChatClient chat, ChatMessage[] messages, ChatCompletionOptions options, HttpContext context)
    {
        var response = context.Response;
        var started = false;
        try
        {
            await foreach (var update in chat.CompleteChatStreamingAsync(messages, options, context.RequestAborted))
            {
                foreach (var part in update.ContentUpdate)
                {
                    if (!started)
                    {
                        started = true;
                        response.ContentType = "text/plain; charset=utf-8";
                        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                    }

                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes(part.Text), context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (Exception ex) when (started && ex is IOException or HttpRequestException or ClientResultException && !context.RequestAborted.IsCancellationRequested)
        {
            // The provider's stream broke after the answer began: end the response badly, never as complete.
            Log.StreamBroken(_logger, ex.GetType().Name);
            context.Abort();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The provider answered {Status}", EventName = "ProviderFailed")]
        public static partial void ProviderFailed(ILogger logger, int status);

        [LoggerMessage(2, LogLevel.Warning, "The provider's stream broke mid-answer: {Error}", EventName = "StreamBroken")]
        public static partial void StreamBroken(ILogger logger, string error);
    }
}
