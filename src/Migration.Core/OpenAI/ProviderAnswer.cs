namespace Migration.Core.OpenAI;

/// <summary>What kind of endpoint an answer came from.</summary>
public enum AnswerKind
{
    /// <summary>Chat completion (JSON or assembled from SSE).</summary>
    Chat = 0,

    /// <summary>Embeddings.</summary>
    Embeddings = 1,

    /// <summary>Anything else or unreadable.</summary>
    Unknown = 2,
}

/// <summary>Token usage of an answer.</summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt tokens served from the provider's prompt cache (part of <see cref="PromptTokens"/>), when reported.</summary>
    public int CachedPromptTokens { get; init; }

    /// <summary>Prompt + completion.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}

/// <summary>One tool call of a choice.</summary>
/// <param name="Name">Function name.</param>
/// <param name="Arguments">Arguments as the provider sent them (a JSON text, possibly invalid).</param>
public sealed record ToolCallAnswer(string Name, string Arguments);

/// <summary>One choice of a chat answer.</summary>
public sealed record ChoiceAnswer(int Index, string? Content, string? FinishReason, IReadOnlyList<ToolCallAnswer> ToolCalls)
{
    /// <summary>The message's <c>refusal</c> text (structured outputs' refusals), when the model refused.</summary>
    public string? Refusal { get; init; }
}

/// <summary>
/// A provider's answer read into the parts the comparer looks at (JSON or SSE alike). Fields the comparison
/// ignores (<c>id</c>, <c>created</c>, <c>system_fingerprint</c>) are not kept.
/// </summary>
public sealed record ProviderAnswer
{
    /// <summary>HTTP status; 0 when no response arrived.</summary>
    public int Status { get; init; }

    /// <summary>Endpoint kind.</summary>
    public AnswerKind Kind { get; init; }

    /// <summary>True when the body was an SSE stream.</summary>
    public bool Streamed { get; init; }

    /// <summary>True when the body parsed and (for streams) ended with <c>[DONE]</c>.</summary>
    public bool Complete { get; init; }

    /// <summary>The model the provider says answered.</summary>
    public string? Model { get; init; }

    /// <summary>Chat choices in index order.</summary>
    public IReadOnlyList<ChoiceAnswer> Choices { get; init; } = [];

    /// <summary>Embedding vectors in index order.</summary>
    public IReadOnlyList<float[]> Embeddings { get; init; } = [];

    /// <summary>Usage, when the provider reported it.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>Error message from an OpenAI error body or the reader (malformed JSON, truncated stream).</summary>
    public string? Error { get; init; }

    /// <summary>True for 2xx, parsed and complete.</summary>
    public bool IsSuccess => Status is >= 200 and < 300 && Complete && Error is null;
}
