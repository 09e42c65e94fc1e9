namespace Migration.Core.OpenAI;

/// <summary>The parts of an OpenAI-style request body the harness routes and records by.</summary>
public sealed record OpenAIRequestInfo
{
    /// <summary>
    /// The <c>model</c> field as a label (<see cref="ModelLabel"/>: too long, odd or invalid names are
    /// <see cref="ModelLabel.Other"/>); null when absent or not a string.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>Why the client's model name was bucketed as <see cref="ModelLabel.Other"/>; none when kept.</summary>
    public ModelLabelIssue ModelIssue { get; init; }

    /// <summary>The <c>stream</c> field is <c>true</c>.</summary>
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c> is <c>true</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Number of elements of <c>messages</c> (0 when absent).</summary>
    public int MessageCount { get; init; }

    /// <summary><c>tools</c> (or legacy <c>functions</c>) is a non-empty array.</summary>
    public bool HasTools { get; init; }

    /// <summary>An <c>input</c> field is present (embeddings and responses-style requests).</summary>
    public bool HasInput { get; init; }

    /// <summary>The <c>response_format.type</c> (JSON mode, structured outputs); <see cref="ResponseFormatKind.Text"/> when absent.</summary>
    public ResponseFormatKind ResponseFormat { get; init; }

    /// <summary>The kind of answer to expect: chat when <c>messages</c> is present, embeddings when only <c>input</c> is.</summary>
    public AnswerKind Kind => MessageCount > 0 ? AnswerKind.Chat : HasInput ? AnswerKind.Embeddings : AnswerKind.Unknown;
}
